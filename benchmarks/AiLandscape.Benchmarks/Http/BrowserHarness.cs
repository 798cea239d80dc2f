using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Playwright;

namespace AiLandscape.Benchmarks.Http;

public sealed record CircuitMemory(
    [property: JsonPropertyName("page")] string Page,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("circuits")] int Circuits,
    [property: JsonPropertyName("interactive")] int Interactive,
    [property: JsonPropertyName("heap_before_bytes")] long HeapBefore,
    [property: JsonPropertyName("heap_after_bytes")] long HeapAfter,
    [property: JsonPropertyName("kb_per_circuit")] double KbPerCircuit);

public sealed record InteractionLatency(
    [property: JsonPropertyName("interaction")] string Interaction,
    [property: JsonPropertyName("pages")] int Pages,
    [property: JsonPropertyName("samples")] int Samples,
    [property: JsonPropertyName("timeouts")] int Timeouts,
    [property: JsonPropertyName("p50_ms")] double P50,
    [property: JsonPropertyName("p95_ms")] double P95,
    [property: JsonPropertyName("p99_ms")] double P99,
    [property: JsonPropertyName("designed_delay_ms")] double DesignedDelay,
    [property: JsonPropertyName("note")] string Note);

public sealed record BrowserReport(
    [property: JsonPropertyName("memory")] IReadOnlyList<CircuitMemory> Memory,
    [property: JsonPropertyName("latency")] IReadOnlyList<InteractionLatency> Latency);

/// <summary>
/// <c>browser --base URL --ready FILE --circuits N --out FILE</c>: headless Chromium (Playwright, the system's chromium)
/// against a running app started with <c>Benchmark__Diagnostics=true</c>.
/// <list type="number">
/// <item>Memory per circuit: for the company profile, /compare with (up to) 8 companies and /rounds, the managed heap
/// after a full GC (<c>/_benchmark/heap</c>) with N interactive pages of that kind open, minus the heap before they
/// opened, divided by N (after one page of the kind has been opened and closed, so the caches and the code are
/// warm). Between kinds the harness waits (up to 4 minutes) for the closed pages' circuits to leave the heap, since
/// the server keeps each as a disconnected circuit for a while.</item>
/// <item>Interaction latency: N pages at once on /companies typing searches and on /rounds paging, each timed in the
/// page from the input event (or the click) to the moment the table's rows have changed (a MutationObserver), with
/// nearest-rank percentiles over all samples. The search box waits <see cref="SearchDebounceMs"/> ms after the last
/// keystroke by design (MudTextField DebounceInterval); that delay is part of the raw figure and reported beside it.</item>
/// </list>
/// </summary>
public static class BrowserHarness
{
    public const int SearchDebounceMs = 300;
    // Words the synthetic names share, each followed by a seed company's name: two terms in a row never show the same rows.
    private static readonly string[] SearchTerms = ["AI", "moonshot", "智能", "deep", "Tech", "zhipu", "科技", "minimax", "Labs", "baichuan"];

    // The page replaces the whole grid when a filter changes (@key), so the observer watches the body and reads the
    // grid afresh; "no company matches" counts as updated rows. At the last page the pager's next button is disabled:
    // the first-page button is the input then.
    private const string MeasureScript = """
        async ({ grid, input, next, first, value, timeout }) => {
          const rows = () => {
            const table = document.querySelector(grid);
            const body = table ? (table.querySelector('tbody') || table).innerText.trim() : '';
            const none = document.querySelector('[data-testid=no-results]');
            return body + '|' + (none ? none.innerText.trim() : '');
          };
          const before = rows();
          return await new Promise(resolve => {
            let t0 = 0, done = false;
            const finish = v => { if (!done) { done = true; observer.disconnect(); resolve(v); } };
            const observer = new MutationObserver(() => {
              const now = rows();
              if (now !== before && now !== '|') finish(performance.now() - t0);
            });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true });
            setTimeout(() => finish(-1), timeout);
            t0 = performance.now();
            if (input) {
              const box = document.querySelector(input);
              box.value = value;
              box.dispatchEvent(new Event('input', { bubbles: true }));
            } else {
              const button = document.querySelector(next);
              (button.disabled ? document.querySelector(first) : button).click();
            }
          });
        }
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter log)
    {
        var a = Args.Parse(args);
        var baseUrl = a.Required("base").TrimEnd('/');
        var served = JsonSerializer.Deserialize<ServedDatabase>(await File.ReadAllTextAsync(a.Required("ready")))!;
        var circuits = a.Int("circuits", 20);
        var samples = a.Int("samples", 10);
        // --only memory | latency: one of the two parts (a rerun of one figure after a change that moves only it).
        var only = a.String("only", "");
        // --hold S: keep each kind's pages open S seconds before measuring (time to take a gcdump of the app).
        Hold = TimeSpan.FromSeconds(a.Int("hold", 0));
        var chromium = a.String("chromium", Environment.GetEnvironmentVariable("AILANDSCAPE_CHROMIUM") ?? "/usr/bin/chromium");

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding",
                "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
            ],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, Locale = "en-GB",
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(120_000);

        var memory = new List<CircuitMemory>();
        var idleHeap = await HeapAsync(http);
        // --paths /a,/b: measure these pages instead of the three below (the memory of any other page).
        var paths = a.String("paths", "");
        var kinds = paths.Length > 0
            ? paths.Split(',').Select(path => (path, path)).ToArray()
            : new[]
            {
                ("company profile", $"/companies/{served.CompanySlug}"),
                ($"compare {served.CompareSlugs.Count}", $"/compare?c={string.Join(',', served.CompareSlugs)}"),
                ("rounds", "/rounds"),
            };
        foreach (var (name, url) in only == "latency" ? [] : kinds)
        {
            var m = await MeasureMemoryAsync(context, http, name, url, circuits);
            memory.Add(m);
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"memory {name,-18} {m.Interactive}/{m.Circuits} circuits, heap {m.HeapBefore / 1048576.0:N1} -> {m.HeapAfter / 1048576.0:N1} MB, {m.KbPerCircuit:N0} KB per circuit"));
            // The server keeps a closed page's circuit as a disconnected circuit (Blazor's default retention is 3
            // minutes): measuring the next kind while those expire would subtract their memory from its figure.
            var settled = await SettleAsync(http, idleHeap + (m.HeapAfter - m.HeapBefore) / 10, TimeSpan.FromMinutes(4));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"memory after closing the {name} pages: heap {settled / 1048576.0:N1} MB"));
        }

        var latency = only == "memory" ? [] : new List<InteractionLatency>
        {
            await MeasureLatencyAsync(context, "type a search in /companies", "/companies", circuits, samples,
                i => new { grid = "[data-testid=company-grid]", input = "input[data-testid=company-search], [data-testid=company-search] input",
                    next = (string?)null, first = (string?)null, value = SearchTerms[i % SearchTerms.Length], timeout = 20_000 },
                SearchDebounceMs, $"includes the search box's {SearchDebounceMs} ms debounce; each page types its own rotation of terms"),
            await MeasureLatencyAsync(context, "next page in /rounds", "/rounds", circuits, samples,
                _ => new { grid = "[data-testid=round-table]", input = (string?)null,
                    next = "[data-testid=round-table] button[aria-label='Next page']",
                    first = "[data-testid=round-table] button[aria-label='First page']", value = "", timeout = 20_000 },
                0, "the pager's next-page button"),
        };
        foreach (var l in latency)
        {
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"latency {l.Interaction,-28} {l.Pages} pages, {l.Samples} samples ({l.Timeouts} timed out): p50 {l.P50:N0} ms, p95 {l.P95:N0} ms, p99 {l.P99:N0} ms"));
        }

        var report = new BrowserReport(memory, latency);
        await File.WriteAllTextAsync(a.Required("out"), JsonSerializer.Serialize(report, BenchmarkRunner.Json));
        return 0;
    }

    private static TimeSpan Hold = TimeSpan.Zero;

    private static async Task<long> HeapAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/_benchmark/heap"));
        return doc.RootElement.GetProperty("managedHeapBytes").GetInt64();
    }

    /// <summary>Waits until the heap is back under <paramref name="target"/> bytes, or the time is up.</summary>
    private static async Task<long> SettleAsync(HttpClient http, long target, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        long heap;
        while ((heap = await HeapAsync(http)) > target && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
        return heap;
    }

    private static async Task<bool> OpenInteractiveAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        try
        {
            await Assertions.Expect(page.Locator("[data-testid=render-mode]"))
                .ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 60_000 });
            return true;
        }
        catch (PlaywrightException)
        {
            return false;
        }
    }

    private static async Task CloseAsync(IEnumerable<IPage> pages)
    {
        // Leaving the page first: Blazor tells the server on pagehide, which ends the circuit at once instead of
        // keeping it as a disconnected circuit for minutes.
        foreach (var page in pages)
        {
            await page.GotoAsync("about:blank");
            await page.CloseAsync();
        }
    }

    private static async Task<CircuitMemory> MeasureMemoryAsync(IBrowserContext context, HttpClient http, string name,
        string url, int circuits)
    {
        var warm = await context.NewPageAsync();
        await OpenInteractiveAsync(warm, url);
        await CloseAsync([warm]);
        await Task.Delay(1000);
        var before = await HeapAsync(http);
        var pages = new List<IPage>();
        var interactive = 0;
        // Four at a time: twenty pages opening at once on two cores time out rather than measure anything.
        foreach (var batch in Enumerable.Range(0, circuits).Chunk(4))
        {
            var opened = await Task.WhenAll(batch.Select(async _ =>
            {
                var page = await context.NewPageAsync();
                lock (pages) { pages.Add(page); }
                return await OpenInteractiveAsync(page, url);
            }));
            interactive += opened.Count(o => o);
        }
        await Task.Delay(TimeSpan.FromSeconds(1) + Hold);
        var after = await HeapAsync(http);
        await CloseAsync(pages);
        return new CircuitMemory(name, url, circuits, interactive, before, after,
            Math.Round((after - before) / 1024.0 / Math.Max(1, interactive), 1));
    }

    private static async Task<InteractionLatency> MeasureLatencyAsync(IBrowserContext context, string name, string url,
        int pageCount, int samples, Func<int, object> argument, double designedDelay, string note)
    {
        var pages = new List<IPage>();
        foreach (var batch in Enumerable.Range(0, pageCount).Chunk(4))
        {
            await Task.WhenAll(batch.Select(async _ =>
            {
                var page = await context.NewPageAsync();
                lock (pages) { pages.Add(page); }
                await OpenInteractiveAsync(page, url);
            }));
        }
        var all = new List<double>();
        var timeouts = 0;
        // Every page interacts at the same time; each waits for its own rows before its next input.
        await Task.WhenAll(pages.Select(async (page, p) =>
        {
            for (var i = 0; i < samples; i++)
            {
                var ms = await page.EvaluateAsync<double>(MeasureScript, argument(p + i));
                lock (all)
                {
                    if (ms < 0) { timeouts++; } else { all.Add(ms); }
                }
            }
        }));
        await CloseAsync(pages);
        all.Sort();
        return new InteractionLatency(name, pageCount, all.Count, timeouts, Rank(all, 0.50), Rank(all, 0.95),
            Rank(all, 0.99), designedDelay, note);
    }

    private static double Rank(List<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)], 1);
}
