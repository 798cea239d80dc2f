using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Sources;

/// <summary>Sources and their citations written through the audited writer, as the demo users.</summary>
public class SourceEditTests : IAsyncLifetime
{
    private EditingApp _app = null!;
    private static int _n;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("source_edit");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static SourceRequest NewRequest() => new()
    {
        Url = $"https://example.com/news/{Interlocked.Increment(ref _n)}",
        Title = "Moonshot AI raises again",
        Publisher = "Example News",
        PublishedOn = "2025-12-31",
        Kind = SourceKind.Newspaper,
        Language = "zh-Hans",
    };

    private async Task<int> CompanyIdAsync(string slug)
    {
        await using var db = _app.Db();
        return await db.Companies.Where(c => c.Slug == slug).Select(c => c.Id).FirstAsync();
    }

    [Fact]
    public async Task Adding_changing_and_deleting_a_source_with_its_citations_is_audited()
    {
        var service = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        var moonshot = await CompanyIdAsync("moonshot-ai");
        var r = NewRequest();
        r.Citations.Add(new CitationInput { RecordType = RecordType.Company, RecordId = moonshot, Field = "FoundedOn", ReportedValue = "2023" });
        r.Citations.Add(new CitationInput { Claim = "China has more than 200 large models." });

        var created = await service.SaveAsync(r);

        Assert.True(created.Succeeded, string.Join(" | ", created.Errors.Select(e => e.Message)));
        var id = created.Id!.Value;
        var create = await _app.LastEntryAsync(RecordType.Source, id);
        Assert.Equal(AuditAction.Create, create.Action);
        Assert.Equal("zh-Hans", create.Change("Language").New!.Value.GetString());
        await using (var db = _app.Db())
        {
            var citations = await db.Citations.AsNoTracking().Where(c => c.SourceId == id).OrderBy(c => c.Id).ToListAsync();
            Assert.Equal(2, citations.Count);
            Assert.Equal("2023", citations[0].ReportedValue);
            Assert.Null(citations[1].RecordType);
            Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.RecordType == RecordType.Citation && a.ChangeSetId == create.ChangeSetId
                                                                  && a.Action == AuditAction.Create));
        }

        var form = (await service.EditAsync(id))!;
        Assert.Equal(2, form.Citations.Count);
        var companyCitation = form.Citations.Single(c => c.RecordType == RecordType.Company);
        Assert.StartsWith("company #", companyCitation.RecordLabel, StringComparison.Ordinal);
        Assert.Contains("Moonshot AI", companyCitation.RecordLabel, StringComparison.Ordinal);
        var removedId = form.Citations.Single(c => c.RecordType is null).Id!.Value;
        form.Title = "Moonshot AI raises US$700M";
        form.Citations.RemoveAll(c => c.RecordType is null);
        companyCitation.ReportedValue = "March 2023";
        var round = (await service.SearchRecordsAsync(RecordType.FundingRound, "Moonshot")).First();
        form.Citations.Add(new CitationInput { RecordType = round.Type, RecordId = round.Id, Field = "Amount", ReportedValue = "US$700M" });
        Assert.True((await service.SaveAsync(form)).Succeeded);

        var update = await _app.LastEntryAsync(RecordType.Source, id);
        Assert.Equal(AuditAction.Update, update.Action);
        Assert.Equal("Moonshot AI raises again", update.Change("Title").Old!.Value.GetString());
        Assert.Equal("Moonshot AI raises US$700M", update.Change("Title").New!.Value.GetString());
        Assert.Equal(AuditAction.Delete, (await _app.LastEntryAsync(RecordType.Citation, removedId)).Action);
        var changed = await _app.LastEntryAsync(RecordType.Citation, companyCitation.Id!.Value);
        Assert.Equal(("2023", "March 2023"), (changed.Change("ReportedValue").Old!.Value.GetString(), changed.Change("ReportedValue").New!.Value.GetString()));
        await using (var db = _app.Db())
        {
            Assert.True(await db.Citations.AnyAsync(c => c.SourceId == id && c.RecordType == RecordType.FundingRound && c.RecordId == round.Id));
        }

        var again = (await service.EditAsync(id))!;
        var deleted = await service.DeleteAsync(id, again.Version);
        Assert.True(deleted.Succeeded, string.Join(" | ", deleted.Errors.Select(e => e.Message)));
        Assert.Equal(AuditAction.Delete, (await _app.LastEntryAsync(RecordType.Source, id)).Action);
        Assert.Equal(AuditAction.Delete, (await _app.LastEntryAsync(RecordType.Citation, companyCitation.Id!.Value)).Action);
        await using (var db = _app.Db())
        {
            Assert.False(await db.Sources.AnyAsync(s => s.Id == id));
            Assert.False(await db.Citations.AnyAsync(c => c.SourceId == id));
        }
    }

    [Fact]
    public async Task A_URL_already_used_by_another_source_is_refused_naming_that_source()
    {
        var service = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        await using var db = _app.Db();
        var other = await db.Sources.AsNoTracking().Where(s => s.Url != null).OrderBy(s => s.Id).FirstAsync();
        var r = NewRequest();
        r.Url = "  " + other.Url + " ";
        var count = await db.Sources.CountAsync();

        var result = await service.SaveAsync(r);

        AuditChecks.AssertInvalid(result, nameof(SourceRequest.Url), $"source #{other.Id}");
        Assert.Contains("already has this URL", result.ErrorFor(nameof(SourceRequest.Url)), StringComparison.Ordinal);
        Assert.Equal(count, await db.Sources.CountAsync());
        // The source itself keeps its own URL when edited.
        var own = (await service.EditAsync(other.Id))!;
        Assert.True((await service.SaveAsync(own)).Succeeded);
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "bad url", nameof(SourceRequest.Url), "URL must be an absolute http:// or https:// URL" },
        { "no title or url", nameof(SourceRequest.Title), "Title: give a title, a URL or both" },
        { "long title", nameof(SourceRequest.Title), "Title must be at most 500" },
        { "long publisher", nameof(SourceRequest.Publisher), "Publisher must be at most 200" },
        { "bad date", nameof(SourceRequest.PublishedOn), "Published must be a date written" },
        { "future date", nameof(SourceRequest.PublishedOn), "Published must not be in the future" },
        { "bad language", nameof(SourceRequest.Language), "Language must be a BCP 47 tag" },
        { "long notes", nameof(SourceRequest.Notes), "Notes must be at most 4000" },
        { "record without id", "Citations[0].Record", "Citation 1: record: pick the record" },
        { "nothing cited", "Citations[0].Record", "Citation 1: pick a record, or write the claim" },
        { "cited twice", "Citations[1].Record", "Citation 2: this record and field FoundedOn is cited twice" },
        { "uncitable type", "Citations[0].Record", "cannot cite a ExchangeRate" },
        { "missing record", "Citations[0].Record", "funding round #999999 does not exist" },
        { "long reported value", "Citations[0].ReportedValue", "Citation 1: reported value must be at most 500" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_refuses_with_a_message_naming_the_field_and_nothing_is_written(string rule, string field, string message)
    {
        var service = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        var company = await CompanyIdAsync("moonshot-ai");
        var r = NewRequest();
        switch (rule)
        {
            case "bad url": r.Url = "example.com/news"; break;
            case "no title or url": r.Url = null; r.Title = " "; break;
            case "long title": r.Title = new string('t', 501); break;
            case "long publisher": r.Publisher = new string('p', 201); break;
            case "bad date": r.PublishedOn = "yesterday"; break;
            case "future date": r.PublishedOn = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture); break;
            case "bad language": r.Language = "Chinese"; break;
            case "long notes": r.Notes = new string('n', 4001); break;
            case "record without id": r.Citations.Add(new CitationInput { RecordType = RecordType.Company }); break;
            case "nothing cited": r.Citations.Add(new CitationInput { RecordType = null, Claim = " " }); break;
            case "cited twice":
                r.Citations.Add(new CitationInput { RecordType = RecordType.Company, RecordId = company, Field = "FoundedOn" });
                r.Citations.Add(new CitationInput { RecordType = RecordType.Company, RecordId = company, Field = " FoundedOn " });
                break;
            case "uncitable type": r.Citations.Add(new CitationInput { RecordType = RecordType.ExchangeRate, RecordId = 1 }); break;
            case "missing record": r.Citations.Add(new CitationInput { RecordType = RecordType.FundingRound, RecordId = 999_999 }); break;
            case "long reported value":
                r.Citations.Add(new CitationInput { RecordType = RecordType.Company, RecordId = company, ReportedValue = new string('v', 501) });
                break;
        }
        await using var before = _app.Db();
        var sources = await before.Sources.CountAsync();
        var citations = await before.Citations.CountAsync();
        var audit = await _app.AuditCountAsync();

        AuditChecks.AssertInvalid(await service.SaveAsync(r), field, message);

        await using var after = _app.Db();
        Assert.Equal(sources, await after.Sources.CountAsync());
        Assert.Equal(citations, await after.Citations.CountAsync());
        Assert.Equal(audit, await _app.AuditCountAsync());
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    [InlineData("zh-Hans")]
    [InlineData("zh-Hant-TW")]
    public void Common_language_tags_pass(string tag)
    {
        var v = new Validator();
        var r = NewRequest();
        r.Language = tag;
        r.Validate(v);
        Assert.True(v.IsValid);
    }

    [Fact]
    public async Task The_only_source_of_a_valuation_or_round_cannot_be_deleted_nor_lose_that_citation()
    {
        var sources = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        var valuations = await _app.ServiceAsAsync<ValuationEditService>(EditingApp.Editor);
        var sourceId = (await sources.SaveAsync(NewRequest())).Id!.Value;
        var valuation = (await valuations.NewAsync("moonshot-ai"))!.Request;
        valuation.ValuedOn = "2025-12";
        valuation.Amount = 4_300_000_000m;
        valuation.Sources.Add(new SourceInput { SourceId = sourceId });
        var valuationId = (await valuations.SaveAsync(valuation)).Id!.Value;
        var audit = await _app.AuditCountAsync();

        var form = (await sources.EditAsync(sourceId))!;
        var refused = await sources.DeleteAsync(sourceId, form.Version);

        Assert.Equal(SaveStatus.Invalid, refused.Status);
        Assert.Contains($"only source of valuation #{valuationId}", refused.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("Moonshot AI", refused.Errors.Single().Message, StringComparison.Ordinal);

        form.Citations.Clear();
        var unlinked = await sources.SaveAsync(form);
        AuditChecks.AssertInvalid(unlinked, "Citations", $"only source of valuation #{valuationId}");
        Assert.Equal(audit, await _app.AuditCountAsync());

        // A seeded round with a single source.
        await using var db = _app.Db();
        var single = await db.Citations.AsNoTracking().Where(c => c.RecordType == RecordType.FundingRound)
            .GroupBy(c => c.RecordId).Where(g => g.Select(c => c.SourceId).Distinct().Count() == 1)
            .Select(g => new { RoundId = g.Key!.Value, SourceId = g.Min(c => c.SourceId) }).FirstAsync();
        var roundSource = (await sources.EditAsync(single.SourceId))!;
        var roundRefused = await sources.DeleteAsync(single.SourceId, roundSource.Version);
        Assert.Equal(SaveStatus.Invalid, roundRefused.Status);
        Assert.Contains($"funding round #{single.RoundId}", roundRefused.Errors.Single().Message, StringComparison.Ordinal);
        Assert.True(await db.Sources.AnyAsync(s => s.Id == single.SourceId));

        // With a second source the first can go.
        var second = (await valuations.EditAsync(valuationId))!.Request;
        second.Sources.Add(new SourceInput { Url = "https://example.com/second", Title = "Second report" });
        Assert.True((await valuations.SaveAsync(second)).Succeeded);
        Assert.True((await sources.DeleteAsync(sourceId, (await sources.EditAsync(sourceId))!.Version)).Succeeded);
    }

    [Fact]
    public async Task The_source_of_an_exchange_rate_cannot_be_deleted()
    {
        var sources = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        await using var db = _app.Db();
        var rate = await db.ExchangeRates.AsNoTracking().Where(x => x.SourceId != null).OrderBy(x => x.Month).FirstOrDefaultAsync();
        Assert.NotNull(rate);
        var form = (await sources.EditAsync(rate!.SourceId!.Value))!;

        var refused = await sources.DeleteAsync(rate.SourceId.Value, form.Version);

        Assert.Equal(SaveStatus.Invalid, refused.Status);
        Assert.Contains("exchange rate", refused.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_searches_title_publisher_and_URL_and_pages_in_SQL()
    {
        var service = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        var all = await service.ListAsync(new SourceListQuery(PageSize: 10));
        Assert.True(all.TotalCount > 10);
        Assert.Equal(10, all.Items.Count);
        var second = await service.ListAsync(new SourceListQuery(Page: 1, PageSize: 10));
        Assert.Empty(second.Items.Select(s => s.Id).Intersect(all.Items.Select(s => s.Id)));

        var bloomberg = await service.ListAsync(new SourceListQuery("bloomberg"));
        Assert.NotEmpty(bloomberg.Items);
        Assert.All(bloomberg.Items, s => Assert.True(
            (s.Title + s.Publisher + s.Url).Contains("bloomberg", StringComparison.OrdinalIgnoreCase)
            || s.Key is not null, s.Title));
        var byUrl = await service.ListAsync(new SourceListQuery("thecoli.com/threads"));
        Assert.All(byUrl.Items, s => Assert.Contains("thecoli.com/threads", s.Url, StringComparison.Ordinal));
        Assert.Equal(0, (await service.ListAsync(new SourceListQuery("no-such-source-anywhere"))).TotalCount);

        // A mirror is found by its original publisher, and the search follows an edit of the title.
        var mirror = NewRequest();
        mirror.OriginalPublisher = "Zzyzx Original Press";
        var id = (await service.SaveAsync(mirror)).Id!.Value;
        Assert.Equal(id, Assert.Single((await service.ListAsync(new SourceListQuery("zzyzx original"))).Items).Id);
        var edit = (await service.EditAsync(id))!;
        edit.Title = "Qwxyz raises a record round";
        Assert.True((await service.SaveAsync(edit)).Succeeded);
        Assert.Equal(id, Assert.Single((await service.ListAsync(new SourceListQuery("QWXYZ RAISES"))).Items).Id);
        // Fields are searched one by one: text running from the title into the publisher matches nothing.
        Assert.Equal(0, (await service.ListAsync(new SourceListQuery("record round Example News"))).TotalCount);
    }

    [Fact]
    public async Task A_search_matching_more_sources_than_the_count_cap_says_so_and_still_pages()
    {
        await using (var db = _app.Db())
        {
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO sources (url, title, publisher, published_on, published_precision, published_on_is_inferred, kind)
                SELECT 'https://example.com/capped/' || n, 'Capcount story ' || n, 'Example News',
                       DATE '2020-01-01' + n, 'Day', false, 'Newspaper'
                FROM generate_series(1, {CappedCount.Cap + 50}) AS n
                """);
        }
        var service = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);

        var first = await service.ListAsync(new SourceListQuery("capcount story", PageSize: 25));
        Assert.True(first.TotalIsLowerBound);
        Assert.Equal(CappedCount.Cap, first.TotalCount);
        Assert.Equal("Capcount story 10050", first.Items[0].Title); // newest first
        var later = await service.ListAsync(new SourceListQuery("capcount story", Page: 2, PageSize: 25));
        Assert.Equal("Capcount story 10000", later.Items[0].Title);

        var one = await service.ListAsync(new SourceListQuery("capcount story 10049"));
        Assert.False(one.TotalIsLowerBound);
        Assert.Equal(1, one.TotalCount);
    }

    [Fact]
    public async Task A_second_editor_saving_the_same_version_gets_a_conflict()
    {
        var service = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        var id = (await service.SaveAsync(NewRequest())).Id!.Value;
        var mine = (await service.EditAsync(id))!;
        var theirs = (await service.EditAsync(id))!;

        theirs.Publisher = "Their publisher";
        Assert.True((await service.SaveAsync(theirs)).Succeeded);
        mine.Notes = "My notes";

        var result = await service.SaveAsync(mine);
        Assert.Equal(SaveStatus.Conflict, result.Status);
        await using var db = _app.Db();
        Assert.Null(await db.Sources.Where(s => s.Id == id).Select(s => s.Notes).FirstAsync());
    }

    [Fact]
    public async Task Only_editors_and_admins_may_save_or_delete()
    {
        var editor = await _app.ServiceAsAsync<SourceEditService>(EditingApp.Editor);
        var existing = (await editor.SaveAsync(NewRequest())).Id!.Value;
        var version = (await editor.EditAsync(existing))!.Version;
        foreach (var user in new[] { null, EditingApp.Analyst })
        {
            var service = await _app.ServiceAsAsync<SourceEditService>(user);
            await Assert.ThrowsAsync<ForbiddenException>(() => service.SaveAsync(NewRequest()));
            await Assert.ThrowsAsync<ForbiddenException>(() => service.DeleteAsync(existing, version));
        }
        foreach (var user in new[] { EditingApp.Editor, EditingApp.Admin })
        {
            var service = await _app.ServiceAsAsync<SourceEditService>(user);
            var saved = await service.SaveAsync(NewRequest());
            Assert.True(saved.Succeeded, user);
            var form = await service.EditAsync(saved.Id!.Value);
            Assert.True((await service.DeleteAsync(saved.Id.Value, form!.Version)).Succeeded, user);
        }
    }
}
