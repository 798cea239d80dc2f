using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Charts;

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// Tooltips written like the tables ("Moonshot AI · US$4.8B", "Feb 2024") instead of MudBlazor's plotted number
/// ("6.538461538", a value in the chart's unit). MudBlazor hands the template the hovered shape: its series index and
/// its X label (a bar's category, or a time point formatted with <see cref="ChartTimeAxis.TooltipKeyFormat"/>), which
/// find the text added here for that point.
/// </summary>
public sealed class ChartTips
{
    private readonly Dictionary<(int Series, string X), (string Title, string Subtitle)> _tips = [];

    public void Clear() => _tips.Clear();

    public void Add(int series, string x, string title, string subtitle) => _tips[(series, x)] = (title, subtitle);

    public RenderFragment<(SvgPath Segment, string Color)> Template => context => builder =>
    {
        if (!_tips.TryGetValue((context.Segment.Index, context.Segment.LabelXValue), out var tip))
        {
            return;
        }
        builder.OpenComponent<ChartTooltip>(0);
        builder.AddComponentParameter(1, nameof(ChartTooltip.Title), tip.Title);
        builder.AddComponentParameter(2, nameof(ChartTooltip.Subtitle), tip.Subtitle);
        builder.AddComponentParameter(3, nameof(ChartTooltip.Color), context.Color);
        builder.AddComponentParameter(4, nameof(ChartTooltip.X), 0.0);
        builder.AddComponentParameter(5, nameof(ChartTooltip.Y), 0.0);
        builder.AddComponentParameter(6, nameof(ChartTooltip.FontSize), "13px");
        builder.CloseComponent();
    };
}
