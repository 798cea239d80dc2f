using System.Globalization;
using System.Text.Json;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.History;

/// <summary>
/// Puts one saved change set into words: "Demo Editor added StepFun's Series C round, 26 Jan 2026, ¥5B, 4 investors,
/// 1 source". Each record type has one wording function (<see cref="Word"/>); the set's sentence is its main record's
/// predicate followed by what else the save touched. Names come from the entries' own values first (a deleted record
/// lives on only there) and from the records as they are now (<see cref="RecordRefs"/>).
/// </summary>
public static class HistoryWording
{
    /// <summary>One record's change in words: the predicate for a sentence and a noun phrase for lists and links.</summary>
    public sealed record Worded(string Predicate, string Label);

    /// <summary>Which record of a set the sentence is about: the first type present in this order.</summary>
    private static readonly RecordType[] MainOrder =
    [
        RecordType.DisputeResolution, RecordType.Company, RecordType.FundingRound, RecordType.Person, RecordType.ValuationPoint,
        RecordType.CompanyEvent, RecordType.ModelRelease, RecordType.Investor, RecordType.ExchangeRate, RecordType.RoundLabelMapping,
        RecordType.Source, RecordType.CompanyRole, RecordType.Participation, RecordType.Citation,
    ];

    /// <summary>The order in which the rest of a set is counted after its main record.</summary>
    private static readonly RecordType[] ExtrasOrder =
    [
        RecordType.Participation, RecordType.Investor, RecordType.Citation, RecordType.ValuationPoint, RecordType.CompanyRole,
        RecordType.Person, RecordType.FundingRound, RecordType.Company, RecordType.CompanyEvent, RecordType.ModelRelease,
        RecordType.ExchangeRate, RecordType.RoundLabelMapping, RecordType.DisputeResolution, RecordType.Source,
    ];

    /// <summary>The set's sentence. <paramref name="counts"/> counts every entry by type and action (the set may hold more than <paramref name="entries"/>).</summary>
    public static string Sentence(string? userName, IReadOnlyList<HistoryRow> entries, RecordRefs refs,
        IReadOnlyDictionary<(RecordType, AuditAction), int>? counts = null)
    {
        var who = string.IsNullOrWhiteSpace(userName) ? "Someone" : userName.Trim();
        if (entries.Count == 0)
        {
            return $"{who} saved a change";
        }
        counts ??= entries.GroupBy(e => (e.RecordType, e.Action)).ToDictionary(g => g.Key, g => g.Count());
        if (entries.All(e => e.Action == AuditAction.Revert))
        {
            var what = entries[0].Summary is { Length: > 0 } s ? s.StartsWith("Reverted: ", StringComparison.Ordinal) ? s["Reverted: ".Length..] : s : null;
            return what is null ? $"{who} reverted an earlier change" : $"{who} reverted an earlier change: “{what}”";
        }

        var mainType = MainOrder.First(t => entries.Any(e => e.RecordType == t));
        var main = entries.First(e => e.RecordType == mainType);
        var sameKind = counts.GetValueOrDefault((mainType, main.Action));
        string head;
        if (sameKind > 1)
        {
            var names = entries.Where(e => e.RecordType == mainType && e.Action == main.Action).Take(2)
                .Select(e => Word(e, refs).Label).ToList();
            var more = sameKind - names.Count;
            head = $"{Verb(main.Action)} {Plural(sameKind, Noun(mainType))}: {string.Join("; ", names)}{(more > 0 ? $" and {more} more" : "")}";
        }
        else
        {
            head = Word(main, refs).Predicate;
        }

        var extras = Extras(entries, counts, mainType, main.Action);
        return extras.Count == 0 ? $"{who} {head}"
            : main.Action == AuditAction.Create && !head.Contains(':', StringComparison.Ordinal)
                ? $"{who} {head}, {string.Join(", ", extras)}"
                : $"{who} {head}; {string.Join(", ", extras)}";
    }

    /// <summary>What else a save touched besides its main record: "4 investors (1 new)", "1 source", "2 valuations changed".</summary>
    private static List<string> Extras(IReadOnlyList<HistoryRow> entries, IReadOnlyDictionary<(RecordType, AuditAction), int> counts,
        RecordType mainType, AuditAction mainAction)
    {
        var extras = new List<string>();
        var newInvestors = mainType != RecordType.Investor ? counts.GetValueOrDefault((RecordType.Investor, AuditAction.Create)) : 0;
        foreach (var action in new[] { AuditAction.Create, AuditAction.Update, AuditAction.Delete })
        {
            var bare = action == mainAction && mainAction == AuditAction.Create;
            string Phrase(int n, string noun) => bare ? Plural(n, noun) : $"{Plural(n, noun)} {Past(action)}";
            foreach (var type in ExtrasOrder.Where(t => t != mainType))
            {
                var n = counts.GetValueOrDefault((type, action));
                if (n == 0 || type == RecordType.Source || (type == RecordType.Investor && action == AuditAction.Create && newInvestors > 0
                    && counts.GetValueOrDefault((RecordType.Participation, AuditAction.Create)) > 0))
                {
                    continue; // sources are counted with their citations; new investors with the participations
                }
                if (type == RecordType.Citation)
                {
                    var sources = SourcesOf(entries, action);
                    extras.Add(Phrase(sources > 0 ? sources : n, sources > 0 ? "source" : "citation"));
                }
                else if (type == RecordType.Participation && action == AuditAction.Create && newInvestors > 0)
                {
                    extras.Add($"{Phrase(n, "investor")} ({newInvestors} new)");
                }
                else
                {
                    extras.Add(Phrase(n, type == RecordType.Participation ? "investor" : Noun(type)));
                }
            }
            if (mainType != RecordType.Source && counts.GetValueOrDefault((RecordType.Source, action)) is > 0 and var s
                && counts.GetValueOrDefault((RecordType.Citation, action)) == 0)
            {
                extras.Add(Phrase(s, "source"));
            }
        }
        return extras;
    }

    /// <summary>The distinct sources the set's citations (of this action) point at.</summary>
    private static int SourcesOf(IReadOnlyList<HistoryRow> entries, AuditAction action) => entries
        .Where(e => e.RecordType == RecordType.Citation && e.Action == action)
        .Select(e => new EntryView(e, RecordRefs.None).Int("SourceId")).Where(id => id is not null).Distinct().Count();

    /// <summary>The records an entry names: its own and those its id fields point at, for <see cref="RecordRefs.LoadAsync"/>.</summary>
    public static IEnumerable<(RecordType Type, int Id)> Mentions(HistoryRow entry)
    {
        yield return (entry.RecordType, entry.RecordId);
        RecordType? ofType = null;
        var ofIds = new List<int>();
        foreach (var c in entry.Changes)
        {
            foreach (var v in new[] { c.Old, c.New })
            {
                if (v is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var id))
                {
                    if (HistoryFormat.ReferenceType(c.Field) is { } type)
                    {
                        yield return (type, id);
                    }
                    else if (c.Field == "RecordId")
                    {
                        ofIds.Add(id);
                    }
                }
                else if (c.Field == "RecordType" && v is { ValueKind: JsonValueKind.String } s && System.Enum.TryParse<RecordType>(s.GetString(), out var t))
                {
                    ofType = t;
                }
            }
        }
        if (ofType is { } of)
        {
            foreach (var id in ofIds)
            {
                yield return (of, id);
            }
        }
    }

    /// <summary>
    /// Links to what a change set touched that still exists: its main record first, then the company, investors,
    /// people and sources it names; one link per page.
    /// </summary>
    public static IReadOnlyList<HistoryLink> Links(IReadOnlyList<HistoryRow> entries, RecordRefs refs, int max = 10)
    {
        var links = new List<HistoryLink>();
        void Add(HistoryLink? link)
        {
            if (link is not null && (link.Href ?? link.EditorHref) is { } href && !links.Any(l => (l.Href ?? l.EditorHref) == href))
            {
                links.Add(link);
            }
        }
        var ordered = entries.OrderBy(e => Array.IndexOf(MainOrder, e.RecordType)).ThenBy(e => e.Id).ToList();
        foreach (var e in ordered)
        {
            var view = new EntryView(e, refs);
            switch (e.RecordType)
            {
                case RecordType.Participation:
                    if (refs.Find(RecordType.Investor, view.Int("InvestorId")) is { } inv)
                    {
                        Add(HistoryFormat.Link(RecordType.Investor, inv.Id, refs, inv.Name ?? "investor"));
                    }
                    else if (view.Current is { Slug: not null } p)
                    {
                        Add(new HistoryLink(p.Name ?? "investor", $"/investors/{p.Slug}"));
                    }
                    break;
                case RecordType.Citation:
                    var sourceId = view.Int("SourceId") ?? view.Current?.SourceId;
                    if (sourceId is { } sid && refs.Find(RecordType.Source, sid) is { } source)
                    {
                        Add(HistoryFormat.Link(RecordType.Source, sid, refs, source.Name ?? "source"));
                    }
                    break;
                case RecordType.Company:
                case RecordType.Investor:
                case RecordType.Person:
                    Add(HistoryFormat.Link(e.RecordType, e.RecordId, refs, view.Current?.Name ?? Word(e, refs).Label));
                    break;
                case RecordType.Source:
                    Add(HistoryFormat.Link(e.RecordType, e.RecordId, refs, view.Current?.Name ?? "source"));
                    break;
                default:
                    Add(HistoryFormat.Link(e.RecordType, e.RecordId, refs, ShortLabel(e, refs)));
                    break;
            }
            var companyId = view.Int("CompanyId") ?? view.Current?.CompanyId;
            if (refs.Find(RecordType.Company, companyId) is { } company)
            {
                Add(HistoryFormat.Link(RecordType.Company, company.Id, refs, company.Name ?? "company"));
            }
            if (e.RecordType == RecordType.CompanyRole && refs.Find(RecordType.Person, view.Int("PersonId")) is { } person)
            {
                Add(HistoryFormat.Link(RecordType.Person, person.Id, refs, person.Name ?? "person"));
            }
        }
        return links.Take(max).ToList();
    }

    /// <summary>A link's text: the record without its figures ("Series C round", "valuation of Jan 2026").</summary>
    private static string ShortLabel(HistoryRow e, RecordRefs refs) => refs.Find(e.RecordType, e.RecordId) is { } r
        ? e.RecordType switch
        {
            RecordType.FundingRound => $"{Possessive(r.CompanyName ?? "?")} {RoundName(r.Stage, r.RoundLabel)}",
            _ => RecordName(refs, e.RecordType, e.RecordId),
        }
        : Word(e, refs).Label;

    /// <summary>One wording function per record type.</summary>
    public static Worded Word(HistoryRow entry, RecordRefs refs)
    {
        var e = new EntryView(entry, refs);
        return entry.RecordType switch
        {
            RecordType.Company => Company(e),
            RecordType.Person => Person(e),
            RecordType.CompanyRole => Role(e),
            RecordType.Investor => Investor(e),
            RecordType.FundingRound => Round(e),
            RecordType.Participation => Participation(e),
            RecordType.ValuationPoint => Valuation(e),
            RecordType.CompanyEvent => Event(e),
            RecordType.ModelRelease => Model(e),
            RecordType.Source => Source(e),
            RecordType.Citation => Citation(e),
            RecordType.ExchangeRate => Rate(e),
            RecordType.DisputeResolution => Dispute(e),
            RecordType.RoundLabelMapping => RoundLabel(e),
            _ => Plain(e, $"{HistoryFormat.TypeName(entry.RecordType)} #{entry.RecordId}"),
        };
    }

    private static Worded Company(EntryView e)
    {
        var name = e.Text("NameEn") ?? e.Current?.Name ?? $"company #{e.Id}";
        var zh = e.Action == AuditAction.Update ? null : e.Text("NameZh");
        return Plain(e, zh is null ? name : $"{name} ({zh})", "company ");
    }

    private static Worded Person(EntryView e) =>
        Plain(e, e.Text("NameEn") ?? e.Current?.Name ?? $"#{e.Id}", "person ");

    private static Worded Role(EntryView e)
    {
        var person = PersonName(e);
        var company = CompanyName(e);
        var role = e.Text("Title") ?? (e.Enum<PersonRoleKind>("Kind") is { } k ? RoleName(k) : e.Current?.Detail) ?? "role";
        var label = $"{person} as {role} of {company}";
        return e.Action switch
        {
            AuditAction.Create => new($"added {label}", label),
            AuditAction.Delete => new($"removed {label}", label),
            _ => new($"changed {Possessive(person)} role at {company}{FieldList(e)}", label),
        };
    }

    private static Worded Investor(EntryView e) =>
        Plain(e, e.Text("NameEn") ?? e.Current?.Name ?? $"investor #{e.Id}", "investor ");

    private static Worded Round(EntryView e)
    {
        var label = $"{Possessive(CompanyName(e))} {RoundName(e.Enum<RoundStage>("Stage") ?? e.Current?.Stage, e.Text("LabelAsAnnounced") ?? e.Current?.RoundLabel)}";
        var date = e.Date("AnnouncedOn") ?? e.Current?.On;
        var precision = e.Enum<DatePrecision>("AnnouncedPrecision") ?? e.Current?.Precision ?? DatePrecision.Day;
        var parts = new List<string> { label };
        if (date is not null)
        {
            parts.Add(Format.Date(date, precision));
        }
        if (e.Action != AuditAction.Update && e.Text("Currency") is { } currency && e.Enum<Disclosure>("Disclosure") is { } disclosure)
        {
            parts.Add(Format.RoundSize(disclosure, currency, e.Number("Amount"), e.Bool("AmountIsApproximate") == true,
                e.Number("AmountMin"), e.Number("AmountMax")));
        }
        return Plain(e, string.Join(", ", parts));
    }

    private static Worded Participation(EntryView e)
    {
        var investor = e.Refs.Find(RecordType.Investor, e.Int("InvestorId"))?.Name ?? e.Current?.Name ?? "an investor";
        var round = RoundOf(e, e.Int("FundingRoundId") ?? e.Current?.RoundId);
        var lead = e.Bool("IsLead") == true && e.Action != AuditAction.Update ? " (lead)" : "";
        return e.Action switch
        {
            AuditAction.Create => new($"added {investor}{lead} to {round}", $"{investor}{lead} in {round}"),
            AuditAction.Delete => new($"removed {investor} from {round}", $"{investor} in {round}"),
            _ => new($"changed {Possessive(investor)} part in {round}{FieldList(e)}", $"{investor} in {round}"),
        };
    }

    private static Worded Valuation(EntryView e)
    {
        var date = Format.Date(e.Date("ValuedOn") ?? e.Current?.On, e.Enum<DatePrecision>("Precision") ?? e.Current?.Precision ?? DatePrecision.Day);
        var label = $"{Possessive(CompanyName(e))} valuation of {date}";
        if (e.Action != AuditAction.Update && e.Number("Amount") is { } amount && e.Text("Currency") is { } currency)
        {
            var basis = e.Enum<ValuationBasis>("Basis") is { } b ? $" {Format.Basis(b)}" : "";
            label += $", {Format.Money(amount, currency, e.Enum<FigureQualifier>("Qualifier") ?? FigureQualifier.Exact)}{basis}";
        }
        return Plain(e, label);
    }

    private static Worded Event(EntryView e)
    {
        var title = e.Text("Title") ?? e.Current?.Name ?? $"#{e.Id}";
        var date = e.Date("OccurredOn") ?? e.Current?.On;
        var when = date is null ? "" : $" ({Format.Date(date, e.Enum<DatePrecision>("Precision") ?? e.Current?.Precision ?? DatePrecision.Day)})";
        return Plain(e, $"{Possessive(CompanyName(e))} event “{title}”{when}");
    }

    private static Worded Model(EntryView e)
    {
        var name = e.Text("Name") ?? e.Current?.Name ?? $"#{e.Id}";
        var date = e.Date("ReleasedOn") ?? e.Current?.On;
        var when = date is null ? "" : $" ({Format.Date(date, e.Enum<DatePrecision>("Precision") ?? e.Current?.Precision ?? DatePrecision.Day)})";
        return Plain(e, $"{Possessive(CompanyName(e))} model {name}{when}");
    }

    private static Worded Source(EntryView e)
    {
        var title = e.Text("Title") ?? e.Text("Url") ?? e.Current?.Name ?? $"#{e.Id}";
        var publisher = e.Action == AuditAction.Update ? null : e.Text("Publisher");
        return Plain(e, $"“{title}”{(publisher is null ? "" : $" ({publisher})")}", "source ");
    }

    private static Worded Citation(EntryView e)
    {
        var sourceId = e.Int("SourceId") ?? e.Current?.SourceId;
        var source = e.Refs.Find(RecordType.Source, sourceId)?.Name ?? e.Current?.Name ?? (sourceId is { } s ? $"source #{s}" : "a source");
        var ofType = e.Enum<RecordType>("RecordType") ?? e.Current?.OfType;
        var ofId = e.Int("RecordId") ?? e.Current?.OfId;
        var of = ofType is { } t && ofId is { } id ? RecordName(e.Refs, t, id) : "a claim without a record";
        var label = $"“{source}” for {of}";
        return e.Action switch
        {
            AuditAction.Create => new($"cited {label}", label),
            AuditAction.Delete => new($"removed the citation of {label}", label),
            _ => new($"changed the citation of {label}{FieldList(e)}", label),
        };
    }

    private static Worded Rate(EntryView e)
    {
        var currency = e.Text("Currency")?.Trim() ?? e.Current?.Name?.Trim() ?? "";
        var month = e.Date("Month") ?? e.Current?.On;
        var label = $"{currency} exchange rate for {Format.Date(month, DatePrecision.Month)}".Trim();
        if (e.Action != AuditAction.Update && e.Number("UnitsPerUsd") is { } units)
        {
            label += $": {units.ToString("0.####", CultureInfo.InvariantCulture)} per US$";
        }
        return Plain(e, label);
    }

    private static Worded Dispute(EntryView e)
    {
        var field = e.Text("Field") ?? e.Current?.Detail ?? "field";
        var ofType = e.Enum<RecordType>("RecordType") ?? e.Current?.OfType;
        var ofId = e.Int("RecordId") ?? e.Current?.OfId;
        var of = ofType is { } t && ofId is { } id ? RecordName(e.Refs, t, id) : "a record";
        var label = $"the disputed {HistoryFormat.FieldName(field).ToLowerInvariant()} of {of}";
        var accepted = e.Text("AcceptedValue");
        var reason = e.Text("Reason");
        var decision = accepted is null ? "" : $": accepted {accepted}{(reason is null ? "" : $" (“{Shorten(reason, 120)}”)")}";
        return e.Action switch
        {
            AuditAction.Create => new($"resolved {label}{decision}", label),
            AuditAction.Delete => new($"reopened {label}", label),
            _ => new($"changed the decision on {label}{decision}", label),
        };
    }

    private static Worded RoundLabel(EntryView e)
    {
        var label = e.Text("Label") ?? e.Current?.Name ?? $"#{e.Id}";
        var stage = e.Enum<RoundStage>("Stage") ?? e.Current?.Stage;
        return Plain(e, $"round label “{label}”{(stage is { } s ? $" → {Format.Stage(s)}" : "")}");
    }

    /// <summary>"added X", "deleted X", "changed X: amount, notes".</summary>
    private static Worded Plain(EntryView e, string label, string article = "") => new(e.Action switch
    {
        AuditAction.Create => $"added {article}{label}",
        AuditAction.Delete => $"deleted {article}{label}",
        AuditAction.Revert => $"reverted {article}{label}",
        _ => $"changed {article}{label}{FieldList(e)}",
    }, label);

    /// <summary>": amount, announced" — the fields an update changed, in words (a date's precision goes with its date).</summary>
    private static string FieldList(EntryView e)
    {
        var fields = e.Entry.Changes.Select(c => c.Field).ToList();
        var names = fields
            .Where(f => !(f.EndsWith("Precision", StringComparison.Ordinal) && fields.Any(o => o != f && o.EndsWith("On", StringComparison.Ordinal)
                          && (f.StartsWith(o[..^2], StringComparison.Ordinal) || f == "Precision"))))
            .Select(f => HistoryFormat.FieldName(f).ToLowerInvariant()).Distinct().ToList();
        if (names.Count == 0)
        {
            return "";
        }
        return ": " + (names.Count <= 4 ? string.Join(", ", names) : string.Join(", ", names.Take(3)) + $" and {names.Count - 3} more fields");
    }

    /// <summary>A record named by type and id ("StepFun's Series C round"), for citations and disputes.</summary>
    public static string RecordName(RecordRefs refs, RecordType type, int id)
    {
        var r = refs.Find(type, id);
        if (r is null)
        {
            return $"{HistoryFormat.TypeName(type)} #{id}";
        }
        return type switch
        {
            RecordType.FundingRound => $"{Possessive(r.CompanyName ?? "?")} {RoundName(r.Stage, r.RoundLabel)}",
            RecordType.Participation => $"{r.Name} in {Possessive(r.CompanyName ?? "?")} {RoundName(r.Stage, r.RoundLabel)}",
            RecordType.ValuationPoint => $"{Possessive(r.CompanyName ?? "?")} valuation of {Format.Date(r.On, r.Precision)}",
            RecordType.CompanyEvent => $"{Possessive(r.CompanyName ?? "?")} event “{r.Name}”",
            RecordType.ModelRelease => $"{Possessive(r.CompanyName ?? "?")} model {r.Name}",
            RecordType.CompanyRole => $"{r.Name} ({r.Detail ?? "role"}) of {r.CompanyName}",
            RecordType.ExchangeRate => $"{r.Name} exchange rate for {Format.Date(r.On, DatePrecision.Month)}",
            RecordType.Source or RecordType.Citation => $"“{r.Name}”",
            RecordType.RoundLabelMapping => $"round label “{r.Name}”",
            RecordType.DisputeResolution => $"the decision on the disputed {HistoryFormat.FieldName(r.Detail ?? "field").ToLowerInvariant()}",
            _ => r.Name ?? $"{HistoryFormat.TypeName(type)} #{id}",
        };
    }

    private static string RoundOf(EntryView e, int? roundId)
    {
        if (roundId is { } id && e.Refs.Find(RecordType.FundingRound, id) is not null)
        {
            return RecordName(e.Refs, RecordType.FundingRound, id);
        }
        if (e.Current is { CompanyName: { } company })
        {
            return $"{Possessive(company)} {RoundName(e.Current.Stage, e.Current.RoundLabel)}";
        }
        return roundId is { } r ? $"funding round #{r}" : "a funding round";
    }

    /// <summary>"Series C round", "Series A (A轮) round", "strategic round", "funding round".</summary>
    public static string RoundName(RoundStage? stage, string? label)
    {
        var stageName = stage is null or RoundStage.Unnamed ? null : Format.Stage(stage.Value);
        label = string.IsNullOrWhiteSpace(label) ? null : label.Trim();
        var name = (stageName, label) switch
        {
            (null, null) => "funding",
            (null, { } l) => l,
            ({ } s, null) => s,
            ({ } s, { } l) when string.Equals(s, l, StringComparison.OrdinalIgnoreCase) || string.Equals(s.Replace(" ", ""), l.Replace(" ", ""), StringComparison.OrdinalIgnoreCase) => s,
            ({ } s, { } l) => $"{s} ({l})",
        };
        return name.EndsWith(" round", StringComparison.OrdinalIgnoreCase) ? name : name + " round";
    }

    private static string CompanyName(EntryView e)
    {
        var id = e.Int("CompanyId") ?? e.Current?.CompanyId;
        return e.Refs.Find(RecordType.Company, id)?.Name ?? e.Current?.CompanyName ?? (id is { } i ? $"company #{i}" : "a company");
    }

    private static string PersonName(EntryView e) =>
        e.Refs.Find(RecordType.Person, e.Int("PersonId"))?.Name ?? e.Current?.Name ?? "someone";

    public static string RoleName(PersonRoleKind kind) => kind switch
    {
        PersonRoleKind.CoFounder => "co-founder",
        PersonRoleKind.Ceo => "CEO",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Possessive(string name) => name.EndsWith('s') ? name + "'" : name + "'s";

    private static string Verb(AuditAction action) => action switch
    {
        AuditAction.Create => "added",
        AuditAction.Delete => "deleted",
        AuditAction.Revert => "reverted",
        _ => "changed",
    };

    private static string Past(AuditAction action) => action switch
    {
        AuditAction.Create => "added",
        AuditAction.Delete => "removed",
        _ => "changed",
    };

    /// <summary>What one record of the type is called in a count ("4 investors").</summary>
    public static string Noun(RecordType type) => type switch
    {
        RecordType.FundingRound => "funding round",
        RecordType.Participation => "investor",
        RecordType.CompanyRole => "role",
        RecordType.ValuationPoint => "valuation",
        RecordType.CompanyEvent => "event",
        RecordType.ModelRelease => "model",
        RecordType.ExchangeRate => "exchange rate",
        RecordType.RoundLabelMapping => "round label",
        RecordType.DisputeResolution => "dispute decision",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun switch
    {
        "company" => "companies",
        "person" => "people",
        _ => noun + "s",
    }}";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    /// <summary>An entry's values: what it wrote (or, for a deletion, what was there), then the record as it is now.</summary>
    internal sealed class EntryView(HistoryRow entry, RecordRefs refs)
    {
        public HistoryRow Entry => entry;
        public RecordRefs Refs => refs;
        public AuditAction Action => entry.Action;
        public int Id => entry.RecordId;
        public RecordRef? Current { get; } = refs.Find(entry.RecordType, entry.RecordId);

        public JsonElement? Value(string field)
        {
            var c = entry.Changes.FirstOrDefault(c => c.Field == field);
            var v = c is null ? null : entry.Action == AuditAction.Delete ? c.Old : c.New ?? c.Old;
            return v is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? v : null;
        }

        public string? Text(string field) => Value(field) is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } s ? s : null;

        public decimal? Number(string field) => Value(field) is { ValueKind: JsonValueKind.Number } v && v.TryGetDecimal(out var d) ? d : null;

        public int? Int(string field) => Value(field) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;

        public bool? Bool(string field) => Value(field) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => null,
        };

        public DateOnly? Date(string field) =>
            Text(field) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

        public TEnum? Enum<TEnum>(string field) where TEnum : struct, System.Enum =>
            Text(field) is { } s && System.Enum.TryParse<TEnum>(s, out var v) ? v : null;
    }
}
