using PuppeteerSharp;

namespace GpuColorTransfer.Tests.Serve;

/// <summary>The page of `gct serve` driven in a real headless browser (Debian's chromium): upload, match, slider, downloads.</summary>
public class PageTests
{
    private static readonly string Reference = TestData.Sample("reference.jpg"), Target = TestData.Sample("target.jpg");

    /// <summary>Debian's chromium (installed by .ci/run like ffmpeg).</summary>
    private static string Chromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("chromium is required for the page tests (Debian/Ubuntu: apt-get install chromium)");

    private static async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        for (int i = 0; i < 600; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the page never got to: {what}");
    }

    [Fact]
    public async Task The_page_grades_by_eye_from_upload_to_download_with_the_slider_applied_in_the_browser()
    {
        using var server = new GctServer();
        string downloads = TestData.TempFolder();
        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium(), Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        await using var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) problems.Add(e.Message.Text); };
        page.PageError += (_, e) => problems.Add(e.Message);
        await page.Client.SendAsync("Browser.setDownloadBehavior", new Dictionary<string, object> { ["behavior"] = "allow", ["downloadPath"] = downloads });
        var response = await page.GoToAsync(server.Address.ToString());
        Assert.Contains("script-src 'self'", response.Headers["content-security-policy"]);

        await (await page.QuerySelectorAsync("#target"))!.UploadFileAsync(Target);
        await (await page.QuerySelectorAsync("#reference"))!.UploadFileAsync(Reference);
        await page.ClickAsync("#match");
        await WaitFor(async () => await page.EvaluateExpressionAsync<string>("document.body.dataset.state || ''") == "matched", "matched");

        // The slider changes the picture without a request: at 0 it is the target itself, at 1 the graded one.
        const string Pixels = "Array.from(document.getElementById('view').getContext('2d').getImageData(0, 0, 64, 64).data)";
        async Task<int[]> At(string strength)
        {
            await page.EvaluateExpressionAsync($"(() => {{ const s = document.getElementById('strength'); s.value = '{strength}'; s.dispatchEvent(new Event('input')); }})()");
            return await page.EvaluateExpressionAsync<int[]>(Pixels);
        }
        int requestsBefore = 0;
        page.Request += (_, _) => requestsBefore++;
        var graded = await At("1");
        var untouched = await At("0");
        Assert.Equal(0, requestsBefore);
        int[] target = await page.EvaluateExpressionAsync<int[]>("(() => { const c = document.createElement('canvas'); const v = document.getElementById('view'); c.width = v.width; c.height = v.height; " +
            "const x = c.getContext('2d'); return createImageBitmap(document.getElementById('target').files[0]).then(b => { x.drawImage(b, 0, 0, c.width, c.height); return Array.from(x.getImageData(0, 0, 64, 64).data); }); })()");
        Assert.True(untouched.Zip(target, (a, b) => Math.Abs(a - b)).Max() <= 1, "strength 0 is not the target");
        Assert.True(graded.Zip(untouched, (a, b) => Math.Abs(a - b)).Average() > 2, "the graded preview does not differ from the target");

        // Downloads: the image at the slider's strength is gct transfer's at that strength; the .cube is the LUT.
        await At("0.35");
        await page.ClickAsync("#download-image");
        string image = Path.Combine(downloads, "graded.png");
        await WaitFor(() => Task.FromResult(File.Exists(image) && new FileInfo(image).Length > 0), "graded.png downloaded");
        string expected = Path.Combine(TestData.TempFolder(), "cli.png");
        Assert.Equal(0, Gct.Run("transfer", Target, Reference, "-o", expected, "--strength", "0.35", "--device", "cpu").ExitCode);
        await WaitFor(() => Task.FromResult(new FileInfo(image).Length == new FileInfo(expected).Length), "graded.png complete");
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(image));
        await page.ClickAsync("#download-cube");
        string cube = Path.Combine(downloads, "look.cube");
        await WaitFor(() => Task.FromResult(File.Exists(cube) && new FileInfo(cube).Length > 0), "look.cube downloaded");
        Assert.Contains("LUT_3D_SIZE 33", File.ReadAllText(cube));
        Assert.Empty(problems);
    }
}
