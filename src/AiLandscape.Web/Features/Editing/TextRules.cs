using System.Globalization;
using System.Text.RegularExpressions;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// Characters no text of the dataset may hold, checked on every record a save adds or changes (forms, API, import),
/// just before it is written: control characters other than tab and line breaks (PostgreSQL refuses NUL outright;
/// the others hide in names and break CSV readers and terminals), the invisible text-direction overrides that make
/// a name display differently from what it is, and broken UTF-16 (a lone surrogate). Ordinary right-to-left marks,
/// emoji and every script stay allowed.
/// </summary>
public static partial class TextRules
{
    /// <summary>The first refused character of <paramref name="text"/> and its position, or null.</summary>
    public static (int Position, int CodePoint)? FirstRefused(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || IsRefused(c))
            {
                return (i, c);
            }
        }
        return null;
    }

    private static bool IsRefused(char c) =>
        (c < ' ' && c is not ('\t' or '\n' or '\r'))
        || c is >= '\u007f' and <= '\u009f'
        // LRE, RLE, PDF, LRO, RLO and the isolates LRI, RLI, FSI, PDI: the "Trojan Source" characters.
        || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';

    /// <summary>
    /// The text with each lone surrogate read as U+FFFD, as a UTF-8 round trip reads it: <c>string.Normalize</c> throws
    /// on broken UTF-16, and Npgsql refuses to send it. Only a hostile client sends one (a browser sends UTF-8).
    /// </summary>
    public static string WellFormed(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? text : System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>The message for a field whose text holds a refused character.</summary>
    public static string Message(string label, (int Position, int CodePoint) found) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{label} must not contain control or text-direction characters (U+{found.CodePoint:X4} at character {found.Position + 1}).");

    /// <summary>The refusal for the first text on an added or changed record that breaks the rule, or null.</summary>
    internal static SaveResult? Check(AppDbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            foreach (var property in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !property.IsModified)
                {
                    continue;
                }
                IEnumerable<string?> texts = property.CurrentValue switch
                {
                    string s => [s],
                    IEnumerable<string?> list => list,
                    _ => [],
                };
                foreach (var text in texts)
                {
                    if (text is not null && FirstRefused(text) is { } found)
                    {
                        var name = property.Metadata.Name;
                        return SaveResult.Invalid(name, Message(Label(name), found));
                    }
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The rules on a form field checked by DataAnnotations (the account forms, whose saves do not go through the
    /// audited writer): the message names the field.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class PlainTextAttribute(string label) : System.ComponentModel.DataAnnotations.ValidationAttribute
    {
        protected override System.ComponentModel.DataAnnotations.ValidationResult? IsValid(object? value,
            System.ComponentModel.DataAnnotations.ValidationContext validationContext) =>
            value is string text && FirstRefused(text) is { } found
                ? new(Message(label, found), validationContext.MemberName is { } member ? [member] : [])
                : System.ComponentModel.DataAnnotations.ValidationResult.Success;
    }

    /// <summary>A property's name as the forms label it ("NameEn" → "English name"; "ReportedValue" → "Reported value").</summary>
    private static string Label(string name) => name switch
    {
        "NameEn" => "English name",
        "NameZh" => "Chinese name",
        "Url" => "URL",
        _ => WordStart().Replace(name, m => " " + m.Value.ToLowerInvariant()).TrimStart(),
    };

    [GeneratedRegex("(?<=[a-z0-9])[A-Z]")]
    private static partial Regex WordStart();
}
