using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SimSeg.Segmentation.Tests.Demo;

/// <summary>Finds a headless Chromium and runs it.</summary>
internal static class Chromium
{
    /// <summary>True when the environment says this is a CI run (CI=true): the browser tests must run there.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>/usr/bin/chromium (Debian's package), else chromium, chromium-browser or google-chrome on the PATH; null when none.</summary>
    public static string? Path { get; } = Locate();

    private static string? Locate()
    {
        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (string folder in folders)
            {
                string candidate = System.IO.Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Runs headless Chromium with <paramref name="arguments"/> and a throw-away profile; returns its standard output.</summary>
    public static string Run(params string[] arguments)
    {
        string chromium = Path ?? throw new InvalidOperationException("CI=true, but no Chromium was found (/usr/bin/chromium or chromium on the PATH); .ci/run installs it with apt-get.");
        string profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "simseg-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={profile}" })
            start.ArgumentList.Add(a);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within 2 minutes: {string.Join(' ', arguments)}");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with code {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try { Directory.Delete(profile, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>A test that needs headless Chromium: skipped with a message when there is none, unless CI=true, where it must run.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.InCi)
            Skip = "headless Chromium not found (/usr/bin/chromium, or chromium on the PATH; Debian: apt-get install chromium chromium-driver). It is required when CI=true.";
    }
}

[Collection("tiny demo")]
public class ReportInBrowserTests(TinyDemo demo)
{
    /// <summary>
    /// Opens a copy of report.html, with a checking script added for the test only, in headless Chromium, lets it load,
    /// and reads from the dumped DOM how many images decoded (natural size equal to the declared size) and how many inline
    /// SVG charts have a drawn extent. The report itself has no script.
    /// </summary>
    [ChromiumFact]
    public void Report_InHeadlessChromium_EveryImageDecodesAndEveryChartDraws()
    {
        string html = File.ReadAllText(demo.Result.ReportPath);
        Assert.DoesNotContain("<script", html);
        const string check = """
            <script>
            addEventListener('load', () => {
              const images = [...document.images];
              const svgs = [...document.querySelectorAll('svg')];
              const result = {
                images: images.length,
                decoded: images.filter(i => i.complete && i.naturalWidth > 0 && i.naturalWidth == i.getAttribute('width') && i.naturalHeight == i.getAttribute('height')).length,
                svgs: svgs.length,
                drawn: svgs.filter(s => { const b = s.getBBox(); return b.width > 0 && b.height > 0; }).length,
                tables: document.querySelectorAll('table').length,
                height: document.documentElement.scrollHeight,
              };
              const pre = document.createElement('pre');
              pre.id = 'simseg-check';
              pre.textContent = JSON.stringify(result);
              document.body.appendChild(pre);
            });
            </script>
            """;
        string folder = Path.Combine(Path.GetTempPath(), "simseg-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string wrapper = Path.Combine(folder, "report-check.html");
            File.WriteAllText(wrapper, html.Replace("</body>", check + "\n</body>", StringComparison.Ordinal));
            string dom = Chromium.Run("--run-all-compositor-stages-before-draw", "--virtual-time-budget=15000", "--dump-dom", new Uri(wrapper).AbsoluteUri);
            var match = Regex.Match(dom, "<pre id=\"simseg-check\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(match.Success, "the check did not run; the page did not load: " + dom[..Math.Min(300, dom.Length)]);
            using var result = JsonDocument.Parse(match.Groups[1].Value);
            int Get(string name) => result.RootElement.GetProperty(name).GetInt32();
            Assert.True(Get("images") >= 12, $"{Get("images")} images");
            Assert.Equal(Get("images"), Get("decoded"));
            Assert.True(Get("svgs") >= 3, $"{Get("svgs")} charts");
            Assert.Equal(Get("svgs"), Get("drawn"));
            Assert.True(Get("tables") >= 4, $"{Get("tables")} tables");
            Assert.True(Get("height") > 2000, $"the page is {Get("height")} px high");

            // The report itself, as a user opens it: a screenshot of its first screen is not blank.
            string screenshot = Path.Combine(folder, "report.png");
            Chromium.Run("--window-size=1100,1400", "--virtual-time-budget=15000", $"--screenshot={screenshot}", new Uri(demo.Result.ReportPath).AbsoluteUri);
            Assert.True(new FileInfo(screenshot).Length > 30_000, $"the screenshot is {new FileInfo(screenshot).Length} bytes: a blank page?");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
