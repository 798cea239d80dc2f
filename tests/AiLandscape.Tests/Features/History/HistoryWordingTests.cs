using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;

namespace AiLandscape.Tests.Features.History;

/// <summary>The history's sentences: one wording per record type, names instead of ids, a set worded as one change.</summary>
public class HistoryWordingTests
{
    private const int StepFun = 7, Jiang = 3, Tencent = 20, Alibaba = 21, Round = 11, Caixin = 5;

    private static readonly RecordRefs Refs = RecordRefs.Of(
    [
        new RecordRef { Type = RecordType.Company, Id = StepFun, Name = "StepFun", Slug = "stepfun", CompanyId = StepFun, CompanyName = "StepFun", CompanySlug = "stepfun" },
        new RecordRef { Type = RecordType.Person, Id = Jiang, Name = "Jiang Daxin", Slug = "jiang-daxin" },
        new RecordRef { Type = RecordType.Investor, Id = Tencent, Name = "Tencent", Slug = "tencent" },
        new RecordRef { Type = RecordType.Investor, Id = Alibaba, Name = "Alibaba", Slug = "alibaba" },
        new RecordRef
        {
            Type = RecordType.FundingRound, Id = Round, CompanyId = StepFun, CompanyName = "StepFun", CompanySlug = "stepfun", RoundId = Round,
            Stage = RoundStage.SeriesC, RoundLabel = "Series C", On = new DateOnly(2026, 1, 26), Precision = DatePrecision.Day,
        },
        new RecordRef { Type = RecordType.Source, Id = Caixin, Name = "StepFun raises ¥5B", Detail = "https://example.com/stepfun", SourceId = Caixin },
    ]);

    private static long _ids;

    private static HistoryRow Entry(RecordType type, int id, AuditAction action, params (string Field, object? Old, object? New)[] fields) =>
        new(++_ids, DateTimeOffset.UtcNow, "Demo Editor", action, type, id, null, Guid.Empty, null, false,
            fields.Select(f => new FieldChange(f.Field, AuditTrail.ToJson(f.Old), AuditTrail.ToJson(f.New))).ToList());

    private static HistoryRow Created(RecordType type, int id, params (string Field, object? Value)[] fields) =>
        Entry(type, id, AuditAction.Create, fields.Select(f => (f.Field, (object?)null, f.Value)).ToArray());

    private static HistoryRow Deleted(RecordType type, int id, params (string Field, object? Value)[] fields) =>
        Entry(type, id, AuditAction.Delete, fields.Select(f => (f.Field, f.Value, (object?)null)).ToArray());

    private static readonly HistoryRow[] NewRound =
    [
        Created(RecordType.FundingRound, Round, ("CompanyId", StepFun), ("AnnouncedOn", new DateOnly(2026, 1, 26)),
            ("AnnouncedPrecision", DatePrecision.Day), ("Stage", RoundStage.SeriesC), ("LabelAsAnnounced", "Series C"),
            ("Disclosure", Disclosure.Disclosed), ("Currency", "CNY"), ("Amount", 5_000_000_000m)),
    ];

    /// <summary>Every record type, created; and some changed and deleted: the sentence the history shows.</summary>
    public static TheoryData<RecordType, HistoryRow, string> Sentences => new()
    {
        { RecordType.Company, Created(RecordType.Company, 40, ("Slug", "stepfun-2"), ("NameEn", "StepFun"), ("NameZh", "阶跃星辰")),
            "Demo Editor added company StepFun (阶跃星辰)" },
        { RecordType.Person, Created(RecordType.Person, 41, ("NameEn", "Jiang Daxin"), ("Slug", "jiang-daxin")),
            "Demo Editor added person Jiang Daxin" },
        { RecordType.CompanyRole, Created(RecordType.CompanyRole, 42, ("CompanyId", StepFun), ("PersonId", Jiang), ("Kind", PersonRoleKind.Ceo)),
            "Demo Editor added Jiang Daxin as CEO of StepFun" },
        { RecordType.Investor, Created(RecordType.Investor, 43, ("NameEn", "Hangzhou AI Fund"), ("Kind", InvestorKind.StateBackedFund)),
            "Demo Editor added investor Hangzhou AI Fund" },
        { RecordType.FundingRound, NewRound[0], "Demo Editor added StepFun's Series C round, 26 Jan 2026, ¥5B" },
        { RecordType.Participation, Created(RecordType.Participation, 44, ("FundingRoundId", Round), ("InvestorId", Tencent), ("IsLead", true)),
            "Demo Editor added Tencent (lead) to StepFun's Series C round" },
        { RecordType.ValuationPoint, Created(RecordType.ValuationPoint, 45, ("CompanyId", StepFun), ("ValuedOn", new DateOnly(2026, 1, 1)),
                ("Precision", DatePrecision.Month), ("Amount", 3_000_000_000m), ("Currency", "USD"), ("Basis", ValuationBasis.PostMoney)),
            "Demo Editor added StepFun's valuation of Jan 2026, US$3B post-money" },
        { RecordType.CompanyEvent, Created(RecordType.CompanyEvent, 46, ("CompanyId", StepFun), ("Title", "Shifts to agents"),
                ("OccurredOn", new DateOnly(2025, 3, 1)), ("Precision", DatePrecision.Month), ("Kind", CompanyEventKind.Pivot)),
            "Demo Editor added StepFun's event “Shifts to agents” (Mar 2025)" },
        { RecordType.ModelRelease, Created(RecordType.ModelRelease, 47, ("CompanyId", StepFun), ("Name", "Step-3"),
                ("ReleasedOn", new DateOnly(2025, 7, 25)), ("Precision", DatePrecision.Day)),
            "Demo Editor added StepFun's model Step-3 (25 Jul 2025)" },
        { RecordType.Source, Created(RecordType.Source, 48, ("Url", "https://example.com/a"), ("Title", "StepFun closes round"), ("Publisher", "Caixin")),
            "Demo Editor added source “StepFun closes round” (Caixin)" },
        { RecordType.Citation, Created(RecordType.Citation, 49, ("SourceId", Caixin), ("RecordType", RecordType.FundingRound), ("RecordId", Round)),
            "Demo Editor cited “StepFun raises ¥5B” for StepFun's Series C round" },
        { RecordType.ExchangeRate, Created(RecordType.ExchangeRate, 50, ("Currency", "CNY"), ("Month", new DateOnly(2026, 1, 1)), ("UnitsPerUsd", 7.1m)),
            "Demo Editor added CNY exchange rate for Jan 2026: 7.1 per US$" },
        { RecordType.DisputeResolution, Created(RecordType.DisputeResolution, 51, ("RecordType", RecordType.FundingRound), ("RecordId", Round),
                ("Field", "Amount"), ("AcceptedValue", "¥5B"), ("Reason", "The company's own announcement")),
            "Demo Editor resolved the disputed amount of StepFun's Series C round: accepted ¥5B (“The company's own announcement”)" },
        { RecordType.RoundLabelMapping, Created(RecordType.RoundLabelMapping, 52, ("Label", "C轮"), ("NormalizedLabel", "c轮"), ("Stage", RoundStage.SeriesC)),
            "Demo Editor added round label “C轮” → Series C" },

        // Changes name the record as it is now and the fields changed, a date's precision with its date.
        { RecordType.FundingRound, Entry(RecordType.FundingRound, Round, AuditAction.Update, ("Amount", 5_000_000_000m, 6_000_000_000m),
                ("AnnouncedOn", new DateOnly(2026, 1, 26), new DateOnly(2026, 1, 1)), ("AnnouncedPrecision", DatePrecision.Day, DatePrecision.Month)),
            "Demo Editor changed StepFun's Series C round, Jan 2026: amount, announced" },
        { RecordType.Company, Entry(RecordType.Company, StepFun, AuditAction.Update, ("Website", "https://stepfun.ai", "https://www.stepfun.com")),
            "Demo Editor changed company StepFun: website" },
        // A deleted record lives on in its entry's old values.
        { RecordType.Investor, Deleted(RecordType.Investor, 99, ("NameEn", "Gone Capital"), ("Slug", "gone-capital")),
            "Demo Editor deleted investor Gone Capital" },
        { RecordType.Participation, Deleted(RecordType.Participation, 98, ("FundingRoundId", Round), ("InvestorId", Alibaba), ("IsLead", false)),
            "Demo Editor removed Alibaba from StepFun's Series C round" },
        { RecordType.ExchangeRate, Deleted(RecordType.ExchangeRate, 97, ("Currency", "HKD"), ("Month", new DateOnly(2025, 6, 1)), ("UnitsPerUsd", 7.85m)),
            "Demo Editor deleted HKD exchange rate for Jun 2025: 7.85 per US$" },
    };

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Each_record_type_is_worded_with_names_not_ids(RecordType type, HistoryRow entry, string sentence)
    {
        Assert.Equal(type, entry.RecordType);
        Assert.Equal(sentence, HistoryWording.Sentence("Demo Editor", [entry], Refs));
    }

    [Fact]
    public void The_wording_theory_covers_every_record_type()
    {
        var covered = Sentences.Select(row => (RecordType)row[0]).ToHashSet();
        Assert.Equal(Enum.GetValues<RecordType>().Order(), covered.Order());
    }

    [Fact]
    public void A_round_with_its_investors_and_source_is_one_sentence()
    {
        HistoryRow[] set =
        [
            NewRound[0],
            Created(RecordType.Investor, 60, ("NameEn", "Hangzhou AI Fund")),
            Created(RecordType.Participation, 61, ("FundingRoundId", Round), ("InvestorId", Tencent), ("IsLead", true)),
            Created(RecordType.Participation, 62, ("FundingRoundId", Round), ("InvestorId", Alibaba)),
            Created(RecordType.Participation, 63, ("FundingRoundId", Round), ("InvestorId", 60)),
            Created(RecordType.Source, 64, ("Title", "StepFun raises ¥5B")),
            Created(RecordType.Citation, 65, ("SourceId", 64), ("RecordType", RecordType.FundingRound), ("RecordId", Round)),
            Created(RecordType.Citation, 66, ("SourceId", 64), ("RecordType", RecordType.FundingRound), ("RecordId", Round), ("Field", "Amount")),
        ];

        Assert.Equal("Demo Editor added StepFun's Series C round, 26 Jan 2026, ¥5B, 3 investors (1 new), 1 source",
            HistoryWording.Sentence("Demo Editor", set, Refs));
        var links = HistoryWording.Links(set, Refs);
        Assert.Equal(("StepFun's Series C round", "/companies/stepfun#round-11"), (links[0].Text, links[0].Href));
        Assert.Contains(links, l => l is { Text: "StepFun", Href: "/companies/stepfun" });
        Assert.Contains(links, l => l is { Text: "Tencent", Href: "/investors/tencent" });
        Assert.Contains(links, l => l is { Text: "Alibaba", Href: "/investors/alibaba" });
    }

    [Fact]
    public void Ids_in_field_diffs_read_as_names_and_fields_as_words()
    {
        var entry = Created(RecordType.Participation, 61, ("FundingRoundId", Round), ("InvestorId", Tencent), ("IsLead", true));

        var fields = HistoryFormat.Fields(entry, Refs);

        Assert.Equal(["Round: StepFun's Series C round", "Investor: Tencent", "Lead investor: yes"], fields.Select(f => $"{f.Name}: {f.New}"));
        Assert.Equal("Investor: investor #404 (no longer exists)",
            HistoryFormat.Fields(Created(RecordType.Participation, 62, ("InvestorId", 404)), Refs).Select(f => $"{f.Name}: {f.New}").Single());
    }

    [Fact]
    public void A_revert_names_the_change_it_undid()
    {
        var revert = Entry(RecordType.FundingRound, Round, AuditAction.Revert, ("Amount", 6_000_000_000m, 5_000_000_000m)) with
        {
            Summary = "Reverted: Changed Series C round of StepFun",
        };
        Assert.Equal("Demo Editor reverted an earlier change: “Changed Series C round of StepFun”", HistoryWording.Sentence("Demo Editor", [revert], Refs));
    }
}
