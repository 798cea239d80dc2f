namespace AiLandscape.Web.Features.Export;

public static class ExportSetup
{
    /// <summary>The streamed downloads (<see cref="ExportEndpoints"/>).</summary>
    public static IServiceCollection AddExport(this IServiceCollection services) =>
        services.AddScoped<ExportService>();
}
