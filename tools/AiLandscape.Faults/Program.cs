namespace AiLandscape.Faults;

/// <summary>tools/faults/run [--cycles N]: see README "Faults". Exit 0 when every scenario that ran held.</summary>
public static class FaultsProgram
{
    public static async Task<int> Main(string[] args)
    {
        var cycles = 50;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--cycles" && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0)
            {
                cycles = n;
                i++;
            }
            else
            {
                await Console.Error.WriteLineAsync("Usage: tools/faults/run [--cycles N]   (N kills of PostgreSQL during writes; default 50)");
                return 2;
            }
        }
        var report = await FaultRun.RunAsync(cycles, Console.Out);
        return report.AllRunHeld ? 0 : 1;
    }
}
