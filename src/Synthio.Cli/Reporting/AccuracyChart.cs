using ScottPlot;

namespace Synthio.Cli.Reporting;

/// <summary>One bar of a grouped chart: a group (x category), a series (colour), a value and its error.</summary>
public sealed record ChartBar(string Group, string Series, double Value, double Error);

/// <summary>Renders grouped bar charts with error bars to PNG (ScottPlot, no display needed).</summary>
public static class AccuracyChart
{
    /// <summary>
    /// Draws <paramref name="bars"/> grouped by <see cref="ChartBar.Group"/> (in first-seen order), one
    /// colour per series, and writes a PNG of <paramref name="width"/>×<paramref name="height"/> pixels.
    /// </summary>
    public static void RenderPng(string path, IReadOnlyList<ChartBar> bars, string title, string yLabel, string xLabel, int width = 900, int height = 500)
    {
        var groups = bars.Select(b => b.Group).Distinct(StringComparer.Ordinal).ToArray();
        var series = bars.Select(b => b.Series).Distinct(StringComparer.Ordinal).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        var plot = new Plot();
        const double groupWidth = 0.8;
        var barWidth = groupWidth / Math.Max(1, series.Length);
        var plotted = new List<Bar>();
        foreach (var bar in bars)
        {
            var g = Array.IndexOf(groups, bar.Group);
            var s = Array.IndexOf(series, bar.Series);
            plotted.Add(new Bar
            {
                Position = g - (groupWidth / 2) + (barWidth * (s + 0.5)),
                Value = bar.Value,
                Error = double.IsFinite(bar.Error) ? bar.Error : 0,
                Size = barWidth * 0.9,
                FillColor = palette.GetColor(s),
                Label = bar.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        plot.Add.Bars(plotted);
        plot.Legend.IsVisible = series.Length > 1;
        for (var s = 0; s < series.Length; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = palette.GetColor(s) });
        }

        plot.Legend.Alignment = ScottPlot.Alignment.UpperLeft;
        plot.Axes.Bottom.SetTicks(groups.Select((_, i) => (double)i).ToArray(), groups);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0);
        var top = bars.Count == 0 ? 1 : bars.Max(b => b.Value + (double.IsFinite(b.Error) ? b.Error : 0));
        plot.Axes.SetLimitsY(0, Math.Max(1e-9, top * 1.15));
        plot.Axes.SetLimitsX(-0.6, groups.Length - 0.4);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.XLabel(xLabel);

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, width, height);
    }
}
