using System.Globalization;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Rounds;
using CsvHelper;
using C = AiLandscape.Web.Features.Import.RoundCsvColumns;

namespace AiLandscape.Web.Features.Import;

/// <summary>
/// The first step of the round import: bytes to rows. Each row gets its cells, its request as far as the cells alone
/// say (numbers, flags, choices) and the names still to match; nothing here looks at the stored data.
/// </summary>
internal static class RoundCsvReader
{
    // No stage column is fine: the label column's labels can give the stages through the round label table.
    private static readonly string[] RequiredColumns = [C.Company, C.Currency, C.SourceUrl, C.SourceTitle];
    private static readonly char[] InjectionCharacters = ['=', '+', '-', '@'];

    /// <summary>Reads the file into rows, or says why the file as a whole cannot be read.</summary>
    public static async Task<ImportPreview> ReadAsync(Stream csv, string fileName, CancellationToken ct)
    {
        var bytes = await ReadAllAsync(csv, ct);
        return bytes is null
            ? FileError(fileName, $"The file is larger than {RoundImportService.MaxFileBytes / 1024 / 1024} MB; split it.")
            : Parse(bytes, fileName);
    }

    private static async Task<byte[]?> ReadAllAsync(Stream csv, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > RoundImportService.MaxFileBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    internal static ImportPreview Parse(byte[] bytes, string fileName)
    {
        var options = new CsvReaderOptions { TrimWhitespace = true, TrackLineNumbers = true, MaxRecordSize = 256 * 1024 };
        var data = bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? bytes[3..] : bytes;
        var rows = new List<ImportRow>();
        using var reader = CsvReader.Create(data, options);
        IReadOnlyList<string> headers;
        try
        {
            reader.ReadHeader();
            headers = [.. reader.Headers.Select(h => h.Trim().ToLowerInvariant())];
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or InvalidDataException)
        {
            return FileError(fileName, "The file is not readable as CSV: " + ex.Message);
        }
        var missing = RequiredColumns.Where(c => !headers.Contains(c)).ToList();
        if (headers.Count == 0 || missing.Count > 0)
        {
            return FileError(fileName, $"The header row lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}. "
                                       + "The first row must name the columns described in docs/import/rounds.md.");
        }
        var ignored = headers.Where(h => !C.Imported.Contains(h) && !C.ReadOnlyExtras.Contains(h)).ToList();
        while (reader.Read())
        {
            if (rows.Count == RoundImportService.MaxRows)
            {
                return FileError(fileName, $"The file has more than {RoundImportService.MaxRows} rows; split it.");
            }
            var cells = CellsOf(reader, headers);
            if (cells.Values.All(string.IsNullOrEmpty))
            {
                continue;
            }
            rows.Add(ReadRow(cells, (int)reader.LineNumber));
        }
        return new ImportPreview { FileName = fileName, Rows = rows, IgnoredColumns = ignored };
    }

    private static ImportPreview FileError(string fileName, string message) =>
        new() { FileName = fileName, FileErrors = [new ImportProblem("", message)] };

    /// <summary>The imported columns of the current record; the first of two columns with one name wins.</summary>
    private static Dictionary<string, string> CellsOf(CsvReader reader, IReadOnlyList<string> headers)
    {
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count && i < reader.FieldCount; i++)
        {
            if (C.Imported.Contains(headers[i]) && !cells.ContainsKey(headers[i]))
            {
                cells[headers[i]] = Unescape(reader.GetString(i).Trim());
            }
        }
        return cells;
    }

    /// <summary>The export puts an apostrophe before text that a spreadsheet would run as a formula; take it off.</summary>
    private static string Unescape(string value) =>
        value.Length > 1 && value[0] == '\'' && InjectionCharacters.Contains(value[1]) ? value[1..] : value;

    /// <summary>Turns the cells into a request; cells that are not even readable (a word where a number goes) are errors now.</summary>
    private static ImportRow ReadRow(Dictionary<string, string> cells, int line)
    {
        var row = new ImportRow { Line = line, Cells = cells };
        // The same characters every save refuses (control, text-direction), said per cell before anything is looked up.
        foreach (var (column, cell) in cells)
        {
            if (TextRules.FirstRefused(cell) is { } found)
            {
                row.ParseErrors.Add(new ImportProblem(column, TextRules.Message("The cell", found)));
            }
        }
        var read = new CellReader(row);
        row.Request = ReadRequest(read);
        if (read.Text(C.Company) is { } company)
        {
            row.Company = new NameMatch { Column = C.Company, Name = company };
        }
        foreach (var (column, lead) in new[] { (C.LeadInvestors, true), (C.Investors, false) })
        {
            foreach (var name in (read.Text(column) ?? "").Split(C.ListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!row.Investors.Any(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    row.Investors.Add(new NameMatch { Column = column, Name = name, IsLead = lead });
                }
            }
        }
        return row;
    }

    /// <summary>The round's own fields; the company, investors and sources are filled in when the rows are checked.</summary>
    private static RoundRequest ReadRequest(CellReader read)
    {
        // An empty stage is taken from the label table when the rows are checked (RoundImportChecker).
        RoundStage? stage = read.Text(C.Stage) is null ? null : read.Choice(C.Stage, RoundStage.Unnamed, Format.Stage);
        var amount = read.Number(C.Amount);
        var min = read.Number(C.AmountMin);
        var max = read.Number(C.AmountMax);
        var inferred = amount is not null ? Disclosure.Disclosed : min is not null || max is not null ? Disclosure.Range : Disclosure.Undisclosed;
        return new RoundRequest
        {
            AnnouncedOn = read.Text(C.Announced),
            ClosedOn = read.Text(C.Closed),
            LabelAsAnnounced = read.Text(C.Label),
            Stage = stage,
            Status = read.Choice(C.Status, RoundStatus.Completed, s => s == RoundStatus.InProgress ? "in progress" : "completed"),
            Disclosure = read.Choice(C.Disclosure, inferred, d => d.ToString()),
            Currency = read.Text(C.Currency)?.ToUpperInvariant() ?? "",
            Amount = amount,
            AmountIsApproximate = read.Flag(C.AmountApproximate),
            AmountMin = min,
            AmountMax = max,
            AmountText = read.Text(C.AmountText),
            PostMoneyValuation = read.Number(C.PostMoney),
            PostMoneyCurrency = read.Text(C.PostMoneyCurrency)?.ToUpperInvariant(),
            PostMoneyIsEstimate = read.Flag(C.PostMoneyEstimate),
            IsUnverified = read.Flag(C.Unverified),
            Notes = read.Text(C.Notes),
            // The editor confirms warnings by committing the preview that shows them.
            Confirmed = true,
        };
    }

    /// <summary>Reads one row's cells as text, numbers, flags and choices; a cell that does not read is a row error.</summary>
    private sealed class CellReader(ImportRow row)
    {
        private List<ImportProblem> Errors => row.ParseErrors;

        public string? Text(string column) => string.IsNullOrWhiteSpace(row.Cell(column)) ? null : row.Cell(column).Trim();

        public decimal? Number(string column)
        {
            if (Text(column) is not { } text)
            {
                return null;
            }
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }
            Errors.Add(new ImportProblem(column, $"must be a number in full units of the currency, such as 500000000 (no thousands separators, currency signs or “M”); got “{text}”."));
            return null;
        }

        public bool Flag(string column)
        {
            switch (Text(column)?.ToLowerInvariant())
            {
                case null or "false" or "no" or "0":
                    return false;
                case "true" or "yes" or "1":
                    return true;
                default:
                    Errors.Add(new ImportProblem(column, $"must be true or false (or empty for false); got “{Text(column)}”."));
                    return false;
            }
        }

        public T Choice<T>(string column, T fallback, Func<T, string> label) where T : struct, Enum
        {
            if (Text(column) is not { } text)
            {
                return fallback;
            }
            var compact = text.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            foreach (var value in Enum.GetValues<T>())
            {
                var name = label(value);
                if (string.Equals(value.ToString(), compact, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }
            Errors.Add(new ImportProblem(column, $"must be one of {string.Join(", ", Enum.GetValues<T>())}; got “{text}”."));
            return fallback;
        }
    }
}
