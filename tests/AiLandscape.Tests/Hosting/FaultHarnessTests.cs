using AiLandscape.Faults;

namespace AiLandscape.Tests.Hosting;

/// <summary>
/// The short run of tools/faults/run (3 cycles instead of 50): PostgreSQL killed during writes, restarted under
/// reads, the app killed during writes, two instances behind nginx with each killed in turn, a read replica stopped under
/// reads (and an editor reading their own write while its replay is paused). Nothing acknowledged is lost, nothing is written twice, no read fails once
/// the database is back.
/// </summary>
[RunsLong(155)]
public sealed class FaultHarnessTests
{
    [Fact]
    public async Task Crashes_of_PostgreSQL_and_of_the_app_lose_and_duplicate_no_acknowledged_write()
    {
        var output = new StringWriter();
        var report = await FaultRun.RunAsync(cycles: 3, output);

        var ran = report.Scenarios.Where(s => s.Held is not null).ToList();
        Assert.True(ran.Count == 5, output.ToString());
        Assert.True(ran.All(s => s.Held == true), output.ToString());
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.FailedReads);
        Assert.Matches(@"^faults: \d+/\d+ scenarios held; lost 0, duplicated 0, failed reads 0$", report.FinalLine);
    }
}
