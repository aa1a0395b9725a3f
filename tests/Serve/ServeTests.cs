using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Tests.Serve;

/// <summary>`gct serve` over real HTTP: the CLI's bytes, references by id, problems, tokens, a full queue, concurrent clients.</summary>
public class ServeTests : IClassFixture<ServeTests.Server>
{
    /// <summary>One server for the tests that need no special options.</summary>
    public sealed class Server : IDisposable
    {
        public GctServer Instance { get; } = new();
        public void Dispose() => Instance.Dispose();
    }

    private readonly GctServer _server;
    private static readonly string Reference = TestData.Sample("reference.jpg"), Target = TestData.Sample("target.jpg");

    public ServeTests(Server server) => _server = server.Instance;

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            if (File.Exists(value))
            {
                var file = new ByteArrayContent(File.ReadAllBytes(value));
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream"); // sniffed, never trusted
                form.Add(file, name, "upload.bin");
            }
            else form.Add(new StringContent(value), name);
        }
        return form;
    }

    private static byte[] CliBytes(string target, string reference, string extension, params string[] options)
    {
        string output = Path.Combine(TestData.TempFolder(), "cli" + extension);
        var r = Gct.Run([.. new[] { "transfer", target, reference, "-o", output, "--device", "cpu" }, .. options]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return File.ReadAllBytes(output);
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null) Assert.Equal(field, problem.GetProperty("field").GetString());
        return problem;
    }

    [Theory]
    [InlineData("png", ".png", "image/png")]
    [InlineData("jpg", ".jpg", "image/jpeg")]
    public async Task An_answer_is_byte_identical_to_gct_transfer(string format, string extension, string contentType)
    {
        var response = await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), ("format", format)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(CliBytes(Target, Reference, extension), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_strength_per_request_gives_the_bytes_of_gct_transfer_with_that_strength()
    {
        var response = await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), ("strength", "0.35")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CliBytes(Target, Reference, ".png", "--strength", "0.35"), await response.Content.ReadAsByteArrayAsync());
        await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), ("strength", "1.5"))), HttpStatusCode.BadRequest, "strength");
    }

    [Theory]
    [InlineData("tau", "0.03", "--tau", "0.03")]
    [InlineData("render", "local", "--render", "local")]
    [InlineData("regrain", "true", "--regrain", null)]
    public async Task Options_per_request_are_gct_transfers_options_with_its_bytes(string field, string value, string option, string? optionValue)
    {
        var response = await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), (field, value)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        string[] cli = optionValue is null ? [option] : [option, optionValue];
        Assert.Equal(CliBytes(Target, Reference, ".png", cli), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("tau", "-1", "--tau must be")]
    [InlineData("render", "sideways", "sideways")]
    [InlineData("max-memory", "1000", "not a transfer option a request may set")]
    [InlineData("colour", "red", "not a transfer option a request may set")]
    [InlineData("regrain", "yes", "a flag")]
    public async Task A_bad_option_in_a_request_is_a_problem_in_the_clis_words(string field, string value, string reason)
    {
        var problem = await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), (field, value))), HttpStatusCode.BadRequest, field);
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Cors_headers_are_sent_only_for_the_origin_given()
    {
        static HttpRequestMessage Preflight() => new(HttpMethod.Options, "/v1/transfer")
        {
            Headers = { { "Origin", "https://editor.example.org" }, { "Access-Control-Request-Method", "POST" } },
        };
        var closed = await _server.Client.SendAsync(Preflight());
        Assert.False(closed.Headers.Contains("Access-Control-Allow-Origin"));
        using var open = new GctServer("--cors", "https://editor.example.org");
        var allowed = await open.Client.SendAsync(Preflight());
        Assert.Equal("https://editor.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var other = Preflight();
        other.Headers.Remove("Origin");
        other.Headers.Add("Origin", "https://elsewhere.example.org");
        Assert.False((await open.Client.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(2, Gct.Run("serve", "--cors", "https://editor.example.org/path").ExitCode);
    }

    [Fact]
    public async Task A_reference_analysed_once_is_used_by_its_id_and_an_unknown_id_is_a_404_problem()
    {
        var created = await _server.Client.PostAsync("/v1/references", Form(("reference", Reference)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Reference))), id);
        var byId = await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference_id", id)));
        Assert.Equal(CliBytes(Target, Reference, ".png"), await byId.Content.ReadAsByteArrayAsync());
        await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference_id", new string('0', 64)))), HttpStatusCode.NotFound, "reference_id");
    }

    [Fact]
    public async Task The_lut_is_the_one_gct_transfer_writes()
    {
        var response = await _server.Client.PostAsync("/v1/lut", Form(("target", Target), ("reference", Reference)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string served = await response.Content.ReadAsStringAsync();
        string dir = TestData.TempFolder(), lut = Path.Combine(dir, "look.cube");
        Assert.Equal(0, Gct.Run("transfer", Target, Reference, "-o", Path.Combine(dir, "o.png"), "--lut-out", lut, "--device", "cpu").ExitCode);
        static string[] Table(string text) => [.. text.Split('\n').Where(l => !l.StartsWith("TITLE", StringComparison.Ordinal))];
        Assert.Equal(Table(File.ReadAllText(lut)), Table(served));
    }

    [Fact]
    public async Task A_grey_target_is_colourised_with_the_clis_bytes_said_in_a_header_and_has_no_lut()
    {
        string grey = Path.Combine(TestData.TempFolder(), "grey.png");
        ImageCodec.Encode(Colorization.Luma(ImageCodec.Decode(Target)), grey);
        var response = await _server.Client.PostAsync("/v1/transfer", Form(("target", grey), ("reference", Reference), ("format", "png")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["true"], response.Headers.GetValues("Gct-Colorized"));
        Assert.Equal(CliBytes(grey, Reference, ".png"), await response.Content.ReadAsByteArrayAsync());
        var colour = await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference)));
        Assert.Equal(["false"], colour.Headers.GetValues("Gct-Colorized"));
        var cast = await _server.Client.PostAsync("/v1/transfer", Form(("target", grey), ("reference", Reference), ("no-colorize", "true")));
        Assert.Equal(["false"], cast.Headers.GetValues("Gct-Colorized"));

        var problem = await Problem(await _server.Client.PostAsync("/v1/lut", Form(("target", grey), ("reference", Reference))), HttpStatusCode.UnprocessableEntity, "target");
        Assert.Contains("no-colorize=true", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.PostAsync("/v1/lut", Form(("target", grey), ("reference", Reference), ("no-colorize", "true")))).StatusCode);
        await Problem(await _server.Client.PostAsync("/v1/lut", Form(("target", Target), ("reference", Reference), ("colorize", "true"))), HttpStatusCode.BadRequest, "colorize");
    }

    [Fact]
    public async Task Bad_requests_are_problems_naming_the_field()
    {
        string notAnImage = Path.Combine(TestData.TempFolder(), "notes.png");
        File.WriteAllText(notAnImage, "these are words, whatever the name says");
        await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("reference", Reference))), HttpStatusCode.BadRequest, "target");
        await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", Target))), HttpStatusCode.BadRequest, "reference");
        var problem = await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", notAnImage), ("reference", Reference))), HttpStatusCode.UnprocessableEntity, "target");
        Assert.Contains("not a readable image", problem.GetProperty("detail").GetString());
        await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), ("format", "tiff"))), HttpStatusCode.BadRequest, "format");
        await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), ("quality", "0"))), HttpStatusCode.BadRequest, "quality");
        await Problem(await _server.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference), ("reference_id", "x"))), HttpStatusCode.BadRequest, "reference_id");
    }

    [Fact]
    public async Task Health_metrics_and_the_openapi_document_are_served()
    {
        Assert.Equal("ok", JsonDocument.Parse(await _server.Client.GetStringAsync("/healthz")).RootElement.GetProperty("status").GetString());
        await _server.Client.PostAsync("/v1/transfer", Form(("target", Target)));
        string metrics = await _server.Client.GetStringAsync("/metrics");
        Assert.Matches(@"gct_requests_total\{status=""400""\} [1-9]", metrics);
        Assert.Contains("gct_request_duration_seconds_bucket{le=\"+Inf\"}", metrics);
        Assert.Contains("gct_queue_depth 0", metrics);
        var paths = JsonDocument.Parse(await _server.Client.GetStringAsync("/openapi.json")).RootElement.GetProperty("paths");
        foreach (string path in new[] { "/v1/transfer", "/v1/lut", "/v1/references", "/healthz", "/metrics" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        var document = JsonDocument.Parse(await _server.Client.GetStringAsync("/openapi.json")).RootElement;
        var transfer = paths.GetProperty("/v1/transfer").GetProperty("post");
        string schema = transfer.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema").GetProperty("$ref").GetString()!;
        var fields = document.GetProperty("components").GetProperty("schemas").GetProperty(schema.Split('/').Last()).GetProperty("properties");
        foreach (string field in new[] { "target", "reference", "reference_id", "format", "quality", "strength" })
            Assert.True(fields.TryGetProperty(field, out _), $"the field {field} is not described");
        Assert.True(transfer.GetProperty("responses").TryGetProperty("422", out _));
    }

    [Fact]
    public async Task Concurrent_clients_each_get_their_own_answer()
    {
        string[] photos = ["castle_day.jpg", "dune_sea.jpg", "glacier.jpg", "forest_path.jpg"];
        string dir = TestData.TempFolder();
        var targets = photos.Select(p =>
        {
            string path = Path.Combine(dir, Path.ChangeExtension(p, ".png"));
            Engine.Imaging.ImageCodec.Encode(TestData.Photo(p, 240), path);
            return path;
        }).ToArray();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var response = await _server.Client.PostAsync("/v1/transfer", Form(("target", targets[i % 4]), ("reference", Reference)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (Target: targets[i % 4], Bytes: await response.Content.ReadAsByteArrayAsync());
        }));
        foreach (var target in targets)
        {
            byte[] expected = CliBytes(target, Reference, ".png");
            Assert.All(answers.Where(a => a.Target == target), a => Assert.Equal(expected, a.Bytes));
        }
    }

    [Fact]
    public async Task A_token_is_required_when_one_is_given_and_beyond_this_machine()
    {
        string tokenFile = Path.Combine(TestData.TempFolder(), "token");
        File.WriteAllText(tokenFile, "0123456789abcdef0123456789abcdef\n");
        using (var guarded = new GctServer("--token-file", tokenFile))
        {
            var none = await guarded.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference)));
            await Problem(none, HttpStatusCode.Unauthorized, "authorization");
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
            var wrong = new HttpRequestMessage(HttpMethod.Post, "/v1/transfer") { Content = Form(("target", Target), ("reference", Reference)) };
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "0123456789abcdef0123456789abcdee");
            Assert.Equal(HttpStatusCode.Unauthorized, (await guarded.Client.SendAsync(wrong)).StatusCode);
            var right = new HttpRequestMessage(HttpMethod.Post, "/v1/transfer") { Content = Form(("target", Target), ("reference", Reference)) };
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "0123456789abcdef0123456789abcdef");
            Assert.Equal(HttpStatusCode.OK, (await guarded.Client.SendAsync(right)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await guarded.Client.GetAsync("/healthz")).StatusCode); // probes need no token
        }
        var open = Gct.Run("serve", "--host", "0.0.0.0", "--port", "0", "--device", "cpu");
        Assert.Equal(2, open.ExitCode);
        Assert.Contains("--token-file", open.Stderr);
    }

    [Fact]
    public void The_container_and_the_kubernetes_example_run_serve_with_options_it_has()
    {
        string help = Gct.Run("serve", "--help").Stdout;
        string docker = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "deploy", "Dockerfile")).Single(l => l.StartsWith("CMD", StringComparison.Ordinal));
        string kubernetes = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "deploy", "kubernetes", "gct-serve.yaml"));
        string args = kubernetes[kubernetes.IndexOf("args:", StringComparison.Ordinal)..kubernetes.IndexOf("ports:", StringComparison.Ordinal)];
        foreach (string command in new[] { docker, args })
        {
            Assert.Contains("\"serve\"", command);
            var options = System.Text.RegularExpressions.Regex.Matches(command, @"--[a-z][a-z-]+").Select(m => m.Value).ToList();
            Assert.NotEmpty(options);
            Assert.All(options, o => Assert.Contains(o, help));
        }
        Assert.Contains("path: /healthz", kubernetes);
    }

    [Fact]
    public async Task Uploads_and_pixels_over_the_limits_are_413_problems()
    {
        using var strict = new GctServer("--max-upload-mb", "1", "--max-pixels", "100000");
        string big = Path.Combine(TestData.TempFolder(), "big.png");
        Engine.Imaging.ImageCodec.Encode(TestData.Patterned(900, 700, 3), big); // noise: about 1.9 MB as PNG
        Assert.True(new FileInfo(big).Length > 1 << 20);
        var tooBig = await strict.Client.PostAsync("/v1/transfer", Form(("target", big), ("reference", Reference)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        var problem = await Problem(await strict.Client.PostAsync("/v1/transfer", Form(("target", Target), ("reference", Reference))), HttpStatusCode.RequestEntityTooLarge, "target");
        Assert.Contains("640x468", problem.GetProperty("detail").GetString());
        Assert.Contains("above the limit", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_client_that_goes_away_ends_its_job_and_sigterm_lets_a_running_job_finish()
    {
        // The local render at full size is slow enough to be caught running.
        string target = Path.Combine(TestData.TempFolder(), "t.jpg");
        Engine.Imaging.ImageCodec.Encode(TestData.Photo("castle_day.jpg", 1600), target);
        using var slow = new GctServer("--render", "local");
        using (var impatient = new CancellationTokenSource(TimeSpan.FromSeconds(1.5)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.Client.PostAsync("/v1/transfer", Form(("target", target), ("reference", Reference)), impatient.Token));
        string metrics = "";
        for (int i = 0; i < 300 && !metrics.Contains("gct_jobs_cancelled_total 1"); i++)
        {
            await Task.Delay(100);
            metrics = await slow.Client.GetStringAsync("/metrics");
        }
        Assert.Contains("gct_jobs_cancelled_total 1", metrics);

        var running = slow.Client.PostAsync("/v1/transfer", Form(("target", target), ("reference", Reference)));
        await Task.Delay(1500);
        int exit = await Task.Run(slow.Stop);
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after_and_sigterm_ends_the_server()
    {
        string big = Path.Combine(TestData.TempFolder(), "big.png");
        Engine.Imaging.ImageCodec.Encode(TestData.Photo("castle_day.jpg", 1600), big);
        using var busy = new GctServer("--queue", "0");
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => busy.Client.PostAsync("/v1/transfer", Form(("target", big), ("reference", Reference)))));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Equal(TimeSpan.FromSeconds(1), r.Headers.RetryAfter?.Delta));
        Assert.Equal(0, busy.Stop());
    }
}
