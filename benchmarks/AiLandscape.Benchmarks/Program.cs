// Page-query benchmark: the seed (1×) and N× the seed in one throwaway PostgreSQL cluster, every query behind every
// page and API list timed at both scales in turn, figures and plans written to benchmarks/results (ADR 0019).
//   dotnet run -c Release --project benchmarks/AiLandscape.Benchmarks -- [--scale 1000] [--samples 200]
//       [--export-samples 20] [--warmup 5] [--max-case-seconds 30] [--min-samples 3] [--only text] [--skip text] [--out benchmarks/results] [--no-plans]
//   dotnet run ... -- serve-db | bare-api | browser [options]: the pieces of benchmarks/http/run (see there)
using System.Globalization;

namespace AiLandscape.Benchmarks;

// A named entry point rather than top-level statements: the test project sees this assembly and the app's, and
// both would define a global Program.
internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        // The HTTP and browser harness (benchmarks/http/run) starts its pieces through these modes.
        switch (args.FirstOrDefault())
        {
            case "serve-db": return await Http.ServeDatabase.RunAsync(args[1..], Console.Out);
            case "bare-api": return await Http.BareApi.RunAsync(args[1..], Console.Out);
            case "browser": return await Http.BrowserHarness.RunAsync(args[1..], Console.Out);
        }
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--scale" => options with { Scale = NextInt() },
                "--samples" => options with { Samples = NextInt() },
                "--export-samples" => options with { ExportSamples = NextInt() },
                "--warmup" => options with { WarmUp = NextInt() },
                "--max-case-seconds" => options with { MaxCaseSeconds = NextInt() },
                "--min-samples" => options with { MinSamples = NextInt() },
                "--only" => options with { Only = Next() },
            "--skip" => options with { Skip = Next() },
                "--out" => options with { OutputDirectory = Next() },
                "--no-plans" => options with { SavePlans = false },
                _ => throw new ArgumentException($"Unknown argument {args[i]}; see the first lines of Program.cs"),
            };
        }
        await BenchmarkRunner.RunAsync(options, Console.Out);
        return 0;
    }
}
