using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Samples.Tests;

/// <summary>
/// The browser sample end to end: publishes samples/DigitsWeb as static files, serves them from
/// loopback, and draws digits with the mouse and with a finger in a real headless Chromium (Debian's
/// <c>chromium</c>, driven by Playwright; nothing is downloaded). The page classifies with .NET on
/// WebAssembly.
/// </summary>
public sealed class DigitsWebTests : IClassFixture<DigitsWebTests.PublishedSite>
{
    private readonly PublishedSite _site;
    private readonly ITestOutputHelper _output;

    public DigitsWebTests(PublishedSite site, ITestOutputHelper output)
    {
        _site = site;
        _output = output;
    }

    /// <summary>Strokes in canvas coordinates (the canvas is 280×280), each a polyline drawn with the button down.</summary>
    public static TheoryData<int, string> Drawings() => new()
    {
        { 1, "140,45 140,235" },
        { 7, "75,60 205,60 125,235" },
        { 0, "140,45 95,80 85,140 100,210 140,235 182,208 196,140 184,78 140,45" },
    };

    [Theory]
    [MemberData(nameof(Drawings))]
    public async Task RecognizesADigitDrawnWithTheMouse(int digit, string strokes)
    {
        IPage page = await _site.OpenAsync();
        await DrawAsync(page, strokes);
        (int predicted, float[] probabilities) = await ReadResultAsync(page);

        _output.WriteLine($"drew {digit}: predicted {predicted}, probabilities " +
            string.Join(" ", probabilities.Select(p => p.ToString("0.000", CultureInfo.InvariantCulture))));
        Assert.Equal(digit, predicted);
        Assert.Equal(10, probabilities.Length);
        Assert.InRange(probabilities.Sum(), 1 - 1e-3, 1 + 1e-3);
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(Array.IndexOf(probabilities, probabilities.Max()), predicted);
    }

    [Fact]
    public async Task RecognizesADigitDrawnWithAFinger()
    {
        IPage page = await _site.OpenAsync(touch: true);
        await DrawWithTouchAsync(page, "75,60 205,60 125,235");
        (int predicted, float[] probabilities) = await ReadResultAsync(page);

        Assert.Equal(7, predicted);
        Assert.InRange(probabilities.Sum(), 1 - 1e-3, 1 + 1e-3);
    }

    [Fact]
    public async Task ShowsTheTimePerInferenceAndClears()
    {
        IPage page = await _site.OpenAsync();
        await DrawAsync(page, "140,45 140,235");
        await ReadResultAsync(page);
        double whileDrawing = Milliseconds(await page.InnerTextAsync("#last-ms"));

        await page.ClickAsync("#benchmark");
        await page.WaitForSelectorAsync("#benchmark-ms");
        double timed = Milliseconds(await page.InnerTextAsync("#benchmark-ms"));
        _output.WriteLine($"LeNet in headless Chromium (WebAssembly interpreter): {timed:0.00} ms per inference (median of 100); last while drawing {whileDrawing:0.00} ms");
        _output.WriteLine(await page.InnerTextAsync(".engine"));
        Assert.InRange(whileDrawing, 0.0, 1000.0);
        Assert.InRange(timed, 0.001, 1000.0);

        await page.ClickAsync("#clear");
        await page.WaitForFunctionAsync("() => document.querySelector('#prediction').dataset.digit === ''");
        string[] cleared = await page.EvalOnSelectorAllAsync<string[]>("li[data-probability]", "items => items.map(i => i.dataset.probability)");
        Assert.All(cleared, p => Assert.Equal(0f, float.Parse(p, CultureInfo.InvariantCulture)));
    }

    private static double Milliseconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Moves the mouse along each stroke with the button down, in small steps, as a hand would.</summary>
    private static async Task DrawAsync(IPage page, string strokes)
    {
        (double X, double Y)[] points = await PagePointsAsync(page, strokes);
        await page.Mouse.MoveAsync((float)points[0].X, (float)points[0].Y);
        await page.Mouse.DownAsync();
        foreach ((double x, double y) in points.Skip(1))
        {
            await page.Mouse.MoveAsync((float)x, (float)y, new MouseMoveOptions { Steps = 12 });
        }
        await page.Mouse.UpAsync();
    }

    /// <summary>Drags one finger along the strokes: touch events through the DevTools protocol, as a touch screen sends them.</summary>
    private static async Task DrawWithTouchAsync(IPage page, string strokes)
    {
        ICDPSession session = await page.Context.NewCDPSessionAsync(page);
        (double X, double Y)[] points = await PagePointsAsync(page, strokes);
        async Task Touch(string type, params (double X, double Y)[] at) =>
            await session.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
            {
                ["type"] = type,
                ["touchPoints"] = at.Select(p => new Dictionary<string, object> { ["x"] = p.X, ["y"] = p.Y }).ToArray(),
            });
        await Touch("touchStart", points[0]);
        for (int i = 1; i < points.Length; i++)
        {
            for (int step = 1; step <= 12; step++)
            {
                double t = step / 12.0;
                await Touch("touchMove", (points[i - 1].X + t * (points[i].X - points[i - 1].X), points[i - 1].Y + t * (points[i].Y - points[i - 1].Y)));
            }
        }
        await Touch("touchEnd");
    }

    /// <summary>Stroke points given in canvas coordinates ("x,y x,y …", the canvas being 280×280), in page coordinates.</summary>
    private static async Task<(double X, double Y)[]> PagePointsAsync(IPage page, string strokes)
    {
        LocatorBoundingBoxResult box = (await page.Locator("#digit-canvas").BoundingBoxAsync())!;
        double scale = box.Width / 280.0;
        return strokes.Split(' ')
            .Select(p => p.Split(','))
            .Select(p => (box.X + double.Parse(p[0], CultureInfo.InvariantCulture) * scale, box.Y + double.Parse(p[1], CultureInfo.InvariantCulture) * scale))
            .ToArray();
    }

    /// <summary>Waits for the page to classify the finished drawing, then reads the digit and the ten bars.</summary>
    private static async Task<(int Digit, float[] Probabilities)> ReadResultAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => document.querySelector('#prediction').dataset.digit !== ''");
        // The page classifies once per animation frame; two frames after the last stroke it has caught up.
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        string digit = (await page.GetAttributeAsync("#prediction", "data-digit"))!;
        string[] probabilities = await page.EvalOnSelectorAllAsync<string[]>("li[data-probability]", "items => items.map(i => i.dataset.probability)");
        return (int.Parse(digit, CultureInfo.InvariantCulture), probabilities.Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>The published app, its server and one headless Chromium, shared by the tests of this class.</summary>
    public sealed class PublishedSite : IAsyncLifetime
    {
        private readonly string _folder = Repository.CreateTemporaryFolder("cnngen-digitsweb");
        private StaticFileServer? _server;
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public async Task InitializeAsync()
        {
            (int exit, string output) = Repository.Dotnet("publish", "samples/DigitsWeb/DigitsWeb.csproj",
                "-c", Repository.Configuration, "-p:BuildProjectReferences=false", "-o", _folder);
            Assert.True(exit == 0, "dotnet publish samples/DigitsWeb failed:\n" + output);
            string site = Path.Combine(_folder, "wwwroot");
            Assert.True(File.Exists(Path.Combine(site, "index.html")), "The publish has no wwwroot/index.html:\n" + output);
            _server = new StaticFileServer(site);

            _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium(),
                Headless = true,
            });
        }

        /// <summary>A new page with the app loaded and .NET started, ready to draw on.</summary>
        public async Task<IPage> OpenAsync(bool touch = false)
        {
            IBrowserContext context = await _browser!.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 900, Height = 700 },
                HasTouch = touch,
            });
            IPage page = await context.NewPageAsync();
            var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
            page.PageError += (_, error) => errors.Enqueue(error);
            await page.GotoAsync(_server!.Address);
            try
            {
                await page.WaitForSelectorAsync("#digit-canvas[data-ready='true']", new PageWaitForSelectorOptions { Timeout = 60_000 });
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException("The app did not start in 60 s. Page errors: " + string.Join("\n", errors) +
                    "\nPage: " + await page.ContentAsync());
            }
            return page;
        }

        /// <summary>The system's Chromium (Debian package chromium; .ci/run installs it).</summary>
        private static string Chromium()
        {
            string[] candidates = { "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" };
            string? found = candidates.FirstOrDefault(File.Exists);
            Assert.True(found is not null,
                "Chromium is missing: the browser sample's test needs it (Debian/Ubuntu: apt-get install chromium; .ci/run installs it). Looked for " +
                string.Join(", ", candidates));
            return found!;
        }

        public async Task DisposeAsync()
        {
            if (_browser is not null)
            {
                await _browser.CloseAsync();
            }
            _playwright?.Dispose();
            _server?.Dispose();
            Repository.DeleteTemporaryFolder(_folder);
        }
    }
}
