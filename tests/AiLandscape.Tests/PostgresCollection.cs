namespace AiLandscape.Tests;

/// <summary>Tests that use the shared throwaway cluster run in this collection, one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection
{
    public const string Name = "postgres";
}
