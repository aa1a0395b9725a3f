using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>
/// `gct serve`: warm engines behind an HTTP API on Kestrel (ASP.NET Core). Version 1 of the API:
/// POST /v1/transfer, /v1/lut, /v1/references; GET /healthz, /metrics, /openapi.json. Errors are
/// RFC 7807 problem+json naming the field and the reason, in the CLI's words.
/// </summary>
internal static class ServeHost
{
    /// <summary>Starts the server; the returned application is running, listening at its first address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(ServeOptions options)
    {
        var pool = new EnginePool(options);
        var references = new ReferenceStore(Math.Max(options.CachedReferences * 4, 16));
        var metrics = new ServerMetrics();
        Warm(pool, options.MaxConcurrent);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            k.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        builder.Services.Configure<FormOptions>(f =>
        {
            f.MultipartBodyLengthLimit = options.MaxUploadBytes;
            f.ValueCountLimit = 64;
        });
        builder.Services.AddOpenApi();
        if (options.CorsOrigin is { } origin)
            builder.Services.AddCors(c => c.AddDefaultPolicy(p => p.WithOrigins(origin).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type")));
        var app = builder.Build();
        if (options.CorsOrigin is not null) app.UseCors();
        app.Lifetime.ApplicationStopped.Register(pool.Dispose);

        // Every API answer is counted; authentication first for /v1.
        app.Use(async (context, next) =>
        {
            var clock = Stopwatch.StartNew();
            if (context.Request.Path.StartsWithSegments("/v1") && options.Token is { } token && !Authorised(context.Request, token))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Problem(StatusCodes.Status401Unauthorized, "authorization", "a bearer token is required (Authorization: Bearer TOKEN)").ExecuteAsync(context);
            }
            else await next(context);
            if (context.Request.Path.StartsWithSegments("/v1")) metrics.Record(context.Response.StatusCode, clock.Elapsed);
        });

        app.MapOpenApi("/openapi.json");
        foreach (var (path, resource, type) in new[] { ("/", "index.html", "text/html; charset=utf-8"), ("/app.js", "app.js", "text/javascript; charset=utf-8"), ("/style.css", "style.css", "text/css; charset=utf-8") })
        {
            byte[] content = PageFile(resource);
            app.MapGet(path, (HttpContext context) =>
            {
                // Only the page's own files: no inline script or style, no other origin, no framing.
                context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(content, type);
            }).ExcludeFromDescription();
        }
        app.MapGet("/healthz", () => Results.Json(new { status = "ok", backend = pool.Backend }))
            .WithSummary("Whether the server is up and its engines warm.");
        app.MapGet("/metrics", () => Results.Text(metrics.Text(pool.Waiting, pool.BusySeconds, pool.Cancelled), "text/plain; version=0.0.4"))
            .WithSummary("Prometheus counters: requests by status, latency histogram, queue depth, engine busy time.");

        app.MapPost("/v1/references", async (HttpRequest request, CancellationToken cancel) => await Guarded(async () =>
        {
            var form = await request.ReadFormAsync(cancel);
            var bytes = await FileField(form, "reference", cancel);
            var file = ImageFile.FromBytes(bytes, "reference", options.MaxPixels);
            string id = references.Add(bytes);
            await pool.RunAsync((slot, _) => slot.References.GetOrAdd(id, () => slot.Engine.Analyse(file)), cancel);
            return Results.Created($"/v1/references/{id}", new { id, width = file.Width, height = file.Height });
        })).DisableAntiforgery().Accepts<ReferenceFields>("multipart/form-data").Produces(StatusCodes.Status201Created).WithProblems().WithSummary("Analyses a reference once; its id (the SHA-256 of its bytes) stands for it in later requests.");

        app.MapPost("/v1/transfer", async (HttpRequest request, CancellationToken cancel) => await Guarded(async () =>
        {
            var form = await request.ReadFormAsync(cancel);
            var format = Format(form);
            int quality = Quality(form);
            float? strength = form["strength"].FirstOrDefault() is { } text
                ? float.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float s) && s >= 0 && s <= 1
                    ? s : throw new FieldException("strength", $"strength must be a number from 0 to 1, not '{text}'")
                : null;
            var settings = Settings(form, options);
            var (target, id, reference) = await Inputs(form, references, options.MaxPixels, cancel);
            var (image, colorized) = await pool.RunAsync((slot, stages) =>
            {
                var (engine, analyses) = slot.For(settings);
                var result = engine.Transfer(target, analyses.GetOrAdd(id, () => engine.Analyse(reference)), stages, strength);
                return (result, engine.Colorized);
            }, cancel);
            using var output = new MemoryStream();
            ImageCodec.Encoder(image, format.Name, quality)(output);
            // A grey target is colourised (its lightness kept) rather than given a cast; the header says which happened.
            request.HttpContext.Response.Headers[ColorizedHeader] = colorized ? "true" : "false";
            return Results.File(output.ToArray(), format.ContentType);
        })).DisableAntiforgery().Accepts<TransferFields>("multipart/form-data").Produces(StatusCodes.Status200OK, null, "image/png", "image/jpeg", "image/webp").WithProblems().WithSummary("Transfers the colours of a reference (a file, or the id of one analysed) onto a target; answers the image. A grey target is colourised (its lightness kept; header Gct-Colorized: true) unless no-colorize=true.");

        app.MapPost("/v1/lut", async (HttpRequest request, CancellationToken cancel) => await Guarded(async () =>
        {
            var form = await request.ReadFormAsync(cancel);
            int size = IntField(form, "size", 33, 2, 129);
            var settings = Settings(form, options);
            var (target, id, reference) = await Inputs(form, references, options.MaxPixels, cancel);
            // The map of the transfer itself (the same matching as /v1/transfer, so the LUT reproduces its image).
            var map = await pool.RunAsync((slot, stages) =>
            {
                var (engine, analyses) = slot.For(settings);
                if (engine.Settings.Colorize == ColorizeMode.Always)
                    throw new FieldException("colorize", "a colourisation is asked (colorize=true, or the server's --colorize), which no LUT can do (its chroma depends on the place); send colorize=false");
                if (engine.Settings.Render != RenderMode.Global) throw new FieldException("render", "a LUT is the colour map of the global render (render=global)");
                // Fitted without rendering: the matched copy alone is decoded where the transfer renders in rows.
                return engine.Match(target, analyses.GetOrAdd(id, () => engine.Analyse(reference)), stages)
                    ?? throw new FieldException("target", "the target is grey: it is colourised, which no LUT can do (its chroma depends on the place); send no-colorize=true for the colour transfer's LUT",
                        StatusCodes.Status422UnprocessableEntity);
            }, cancel);
            return Results.File(Encoding.UTF8.GetBytes(CubeFile.Text(map, size, "gct serve")), "text/plain; charset=utf-8", "gct.cube");
        })).DisableAntiforgery().Accepts<TransferFields>("multipart/form-data").Produces(StatusCodes.Status200OK, null, "text/plain").WithProblems().WithSummary("The colour map fitted from a target to a reference, as a .cube 3D LUT.");

        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return (app, address);
    }

    /// <summary>A file of the page, built into the assembly (Serve/Page).</summary>
    private static byte[] PageFile(string name)
    {
        using var stream = typeof(ServeHost).Assembly.GetManifestResourceStream($"GpuColorTransfer.Cli.Serve.Page.{name}")
            ?? throw new InvalidOperationException($"the page file {name} is not built in");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>One transfer per engine on a small synthetic pair: the weights loaded and the stages compiled before the first request.</summary>
    private static void Warm(EnginePool pool, int engines)
    {
        var warmups = Enumerable.Range(0, engines).Select(_ => pool.RunAsync((slot, _) =>
        {
            var image = new RgbImage(64, 48);
            for (int i = 0; i < image.Planes.Length; i++) image.Planes[i] = (i * 7919 % 251) / 251f;
            return slot.Engine.Transfer(image, image);
        }, CancellationToken.None)).ToArray();
        Task.WaitAll(warmups);
    }

    /// <summary>The bearer token compared in constant time (both hashed first, so that their lengths leak nothing either).</summary>
    private static bool Authorised(HttpRequest request, string token)
    {
        string header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..])), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>The response header of /v1/transfer telling whether the target was colourised (a grey target) or colour-transferred.</summary>
    public const string ColorizedHeader = "Gct-Colorized";

    /// <summary>The fields of the API itself; any other field is a transfer option (<see cref="RequestSettings"/>).</summary>
    private static readonly HashSet<string> ApiFields = ["target", "reference", "reference_id", "format", "quality", "strength", "size"];

    /// <summary>The request's transfer options; null: the server's own.</summary>
    private static (string Key, GpuColorTransfer.Engine.EngineOptions Options)? Settings(IFormCollection form, ServeOptions options)
    {
        var fields = form.Keys.Where(k => !ApiFields.Contains(k)).Select(k => (k, form[k].ToString())).ToList();
        if (fields.Count == 0) return null;
        return options.RequestSettings is { } reader ? reader.Read(fields) : throw new FieldException(fields[0].k, $"'{fields[0].k}' is not a field of this API");
    }

    private static async Task<(ImageFile Target, string Id, ImageFile Reference)> Inputs(IFormCollection form, ReferenceStore references, long maxPixels, CancellationToken cancel)
    {
        var target = ImageFile.FromBytes(await FileField(form, "target", cancel), "target", maxPixels);
        string? id = form["reference_id"].FirstOrDefault();
        byte[] bytes;
        if (form.Files.GetFile("reference") is not null)
        {
            if (id is not null) throw new FieldException("reference_id", "give either a reference file or a reference_id, not both");
            bytes = await FileField(form, "reference", cancel);
            id = ReferenceStore.IdOf(bytes);
        }
        else if (id is null) throw new FieldException("reference", "a reference image (file field 'reference') or the id of one analysed ('reference_id') is required");
        else bytes = references.Get(id) ?? throw new FieldException("reference_id", $"no reference '{id}' is held; upload it to /v1/references (again)", StatusCodes.Status404NotFound);
        return (target, id, ImageFile.FromBytes(bytes, "reference", maxPixels));
    }

    private static async Task<byte[]> FileField(IFormCollection form, string name, CancellationToken cancel)
    {
        var file = form.Files.GetFile(name) ?? throw new FieldException(name, $"the file field '{name}' is missing");
        if (file.Length == 0) throw new FieldException(name, "the file is empty");
        using var stream = new MemoryStream();
        await file.CopyToAsync(stream, cancel);
        return stream.ToArray();
    }

    /// <summary>The answer's format (png by default) as an output name ("answer.jpg", chosen by <see cref="ImageCodec.Encoder(Rgba8Image, string, int)"/>) and its media type.</summary>
    private static (string Name, string ContentType) Format(IFormCollection form) =>
        (form["format"].FirstOrDefault() ?? "png").ToLowerInvariant() switch
        {
            "png" => ("answer.png", "image/png"),
            "jpg" or "jpeg" => ("answer.jpg", "image/jpeg"),
            "webp" => ("answer.webp", "image/webp"),
            var other => throw new FieldException("format", $"'{other}' is not an output format; use png, jpg or webp"),
        };

    private static int Quality(IFormCollection form) => IntField(form, "quality", 95, 1, 100);

    private static int IntField(IFormCollection form, string name, int fallback, int min, int max)
    {
        string? text = form[name].FirstOrDefault();
        if (text is null) return fallback;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v : throw new FieldException(name, $"{name} must be a whole number from {min} to {max}, not '{text}'");
    }

    /// <summary>The request's failures as problems; anything else is the server's fault (500, no details).</summary>
    private static async Task<IResult> Guarded(Func<Task<IResult>> handler)
    {
        try { return await handler(); }
        catch (FieldException e) { return Problem(e.Status, e.Field, e.Message); }
        catch (ImageTooLargeException e) { return Problem(StatusCodes.Status413PayloadTooLarge, FieldOf(e.Message), e.Message); }
        catch (GctException e) { return Problem(StatusCodes.Status422UnprocessableEntity, FieldOf(e.Message), e.Message); }
        catch (QueueFullException e) { return new RetryLater(Problem(StatusCodes.Status503ServiceUnavailable, null, e.Message)); }
        catch (BadHttpRequestException e) { return Problem(e.StatusCode, null, e.Message); }
        catch (InvalidDataException e) { return Problem(StatusCodes.Status400BadRequest, null, $"the request is not a readable multipart form ({e.Message})"); }
    }

    /// <summary>The form field an engine message is about ("target: ..." or "reference: ...").</summary>
    private static string? FieldOf(string message) =>
        message.StartsWith("target:", StringComparison.Ordinal) ? "target" : message.StartsWith("reference:", StringComparison.Ordinal) ? "reference" : null;

    private static IResult Problem(int status, string? field, string detail) =>
        Results.Problem(detail: detail, statusCode: status, extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    /// <summary>A problem answered with Retry-After (seconds).</summary>
    private sealed class RetryLater(IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = "1";
            return problem.ExecuteAsync(context);
        }
    }
}

/// <summary>The problems an API endpoint may answer, for the OpenAPI document.</summary>
internal static class ProblemAnswers
{
    public static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder endpoint)
    {
        foreach (int status in new[] { 400, 401, 404, 413, 422, 503 }) endpoint.ProducesProblem(status);
        return endpoint;
    }
}

/// <summary>A request field that cannot be used: its name, the reason, the status to answer.</summary>
internal sealed class FieldException(string field, string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public string Field { get; } = field;
    public int Status { get; } = status;
}
