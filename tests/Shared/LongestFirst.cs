using Xunit;
using Xunit.Abstractions;

namespace AiLandscape.TestSupport;

/// <summary>
/// Marks a test class that takes minutes (measured in CI's test results), so <see cref="LongestFirst"/> starts it
/// before the short ones.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunsLongAttribute(int seconds) : Attribute
{
    public int Seconds { get; } = seconds;
}

/// <summary>
/// Runs the test classes marked <see cref="RunsLongAttribute"/> first, longest first, then the rest in xUnit's order.
/// Classes run two or more at a time (one per core); a long class started last ran alone at the end of the run: the
/// fuzz tests, started after eight minutes, were the last four and a half minutes of the database tests.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    public const string TypeName = "AiLandscape.TestSupport.LongestFirst";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var collections = testCollections.ToList();
        // One collection per class: its display name is "Test collection for <class>".
        int Seconds(ITestCollection collection)
        {
            var name = collection.DisplayName.Replace("Test collection for ", "", StringComparison.Ordinal);
            var type = collection.TestAssembly.Assembly.GetType(name);
            var attribute = type?.GetCustomAttributes(typeof(RunsLongAttribute).AssemblyQualifiedName!).FirstOrDefault();
            return attribute?.GetNamedArgument<int>(nameof(RunsLongAttribute.Seconds)) ?? 0;
        }
        return collections.Select((c, i) => (c, i, Seconds(c))).OrderByDescending(x => x.Item3).ThenBy(x => x.i).Select(x => x.c);
    }
}
