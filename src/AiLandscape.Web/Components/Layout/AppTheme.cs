using MudBlazor;

namespace AiLandscape.Web.Components.Layout;

public static class AppTheme
{
    // No web fonts: every asset is served by the app. CJK fonts come from the system (Noto CJK on Linux).
    private static readonly string[] FontFamily =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Noto Sans CJK SC", "PingFang SC",
         "Microsoft YaHei", "Helvetica Neue", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e79",
            AppbarBackground = "#1f4e79",
            Secondary = "#b5402a",
            // Material's default error, warning, success and info fail WCAG AA contrast as text on white
            // (outlined Delete buttons, history chips): darker shades of the same hues pass 4.5:1.
            Error = "#c62828",
            Warning = "#8d5300",
            Success = "#2e7d32",
            Info = "#1565c0",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontFamily },
            H1 = new H1Typography { FontFamily = FontFamily },
            H2 = new H2Typography { FontFamily = FontFamily },
            H3 = new H3Typography { FontFamily = FontFamily },
            H4 = new H4Typography { FontFamily = FontFamily },
            H5 = new H5Typography { FontFamily = FontFamily },
            H6 = new H6Typography { FontFamily = FontFamily },
            Body1 = new Body1Typography { FontFamily = FontFamily },
            Body2 = new Body2Typography { FontFamily = FontFamily },
            Button = new ButtonTypography { FontFamily = FontFamily },
            Caption = new CaptionTypography { FontFamily = FontFamily },
            Subtitle1 = new Subtitle1Typography { FontFamily = FontFamily },
            Subtitle2 = new Subtitle2Typography { FontFamily = FontFamily },
        },
    };
}
