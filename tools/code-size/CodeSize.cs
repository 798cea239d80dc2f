#:package Microsoft.CodeAnalysis.CSharp@5.0.0
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=true

// Lists the C# files and methods that are too long to read in one go: files over --max-file lines and methods
// (constructors, accessors, operators and local functions included in their method) over --max-method lines.
// Generated EF migrations are left out. Exit code 1 when anything is listed, so CI can hold the line.
// Usage: dotnet run tools/code-size/CodeSize.cs -- [root ...] [--max-file 400] [--max-method 80]
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

var roots = new List<string>();
var maxFile = 400;
var maxMethod = 80;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--max-file": maxFile = int.Parse(args[++i]); break;
        case "--max-method": maxMethod = int.Parse(args[++i]); break;
        default: roots.Add(args[i]); break;
    }
}
if (roots.Count == 0)
{
    roots.Add("src");
}

var files = new List<(string Path, int Lines)>();
var methods = new List<(string Path, int Line, string Name, int Lines)>();
foreach (var path in roots.SelectMany(r => Directory.EnumerateFiles(r, "*.cs", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
{
    var normalized = path.Replace('\\', '/');
    if (normalized.Contains("/Migrations/", StringComparison.Ordinal) || normalized.Contains("/obj/", StringComparison.Ordinal)
        || normalized.Contains("/bin/", StringComparison.Ordinal))
    {
        continue;
    }
    var text = File.ReadAllText(path);
    var tree = CSharpSyntaxTree.ParseText(text, path: normalized);
    var lineCount = tree.GetText().Lines.Count;
    if (text.EndsWith('\n'))
    {
        lineCount--; // as wc -l counts
    }
    if (lineCount > maxFile)
    {
        files.Add((normalized, lineCount));
    }
    foreach (var member in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>()
                 .Cast<SyntaxNode>().Concat(tree.GetRoot().DescendantNodes().OfType<AccessorDeclarationSyntax>()))
    {
        var span = member.GetLocation().GetLineSpan();
        var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
        if (lines > maxMethod)
        {
            methods.Add((normalized, span.StartLinePosition.Line + 1, NameOf(member), lines));
        }
    }
}

Console.WriteLine($"Files over {maxFile} lines: {files.Count}");
foreach (var f in files.OrderByDescending(f => f.Lines))
{
    Console.WriteLine($"  {f.Lines,5}  {f.Path}");
}
Console.WriteLine($"Methods over {maxMethod} lines: {methods.Count}");
foreach (var m in methods.OrderByDescending(m => m.Lines))
{
    Console.WriteLine($"  {m.Lines,5}  {m.Path}:{m.Line}  {m.Name}");
}
return files.Count + methods.Count == 0 ? 0 : 1;

static string NameOf(SyntaxNode member)
{
    var type = member.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text ?? "";
    var name = member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
        AccessorDeclarationSyntax a => (a.Parent?.Parent switch
        {
            PropertyDeclarationSyntax p => p.Identifier.Text,
            IndexerDeclarationSyntax => "this[]",
            EventDeclarationSyntax e => e.Identifier.Text,
            _ => "?",
        }) + "." + a.Keyword.Text,
        _ => member.Kind().ToString(),
    };
    return type.Length == 0 ? name : type + "." + name;
}
