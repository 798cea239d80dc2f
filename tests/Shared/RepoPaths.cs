namespace AiLandscape.TestSupport;

public static class RepoPaths
{
    /// <summary>The checkout's root: the folder holding AiLandscape.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiLandscape.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AiLandscape.sln not found above " + AppContext.BaseDirectory);
    }
}
