using System.CommandLine;
using System.Net;
using GpuColorTransfer.Cli.Commands;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Methods;
using Microsoft.Extensions.Hosting;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>`gct serve`: warm engines behind an HTTP API (see <see cref="ServeHost"/>).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "The address to listen on; beyond this machine (0.0.0.0) a token is required unless --no-auth.", DefaultValueFactory = _ => "127.0.0.1", HelpName = "ADDRESS" };
        var port = NumberOption.Create("--port", "The port to listen on (0: a free one, printed).", 8080, 0, 65535, "PORT");
        var maxConcurrent = NumberOption.Create("--max-concurrent", "Jobs on the engines at once (one warm engine each).", 1, 1, 64, "N");
        var queue = NumberOption.Create("--queue", "Jobs that may wait for an engine; beyond, 503 with Retry-After.", 16, 0, 10_000, "N");
        var maxUpload = NumberOption.Create("--max-upload-mb", "The largest request body accepted, in MB.", 64, 1, 4096, "MB");
        var tokenFile = new Option<string>("--token-file") { Description = "A file holding the bearer token every /v1 request must send (Authorization: Bearer TOKEN).", HelpName = "FILE" };
        var noAuth = new Option<bool>("--no-auth") { Description = "Listen beyond this machine without a token (anyone who reaches the port may use the engines)." };
        var cors = new Option<string>("--cors") { Description = "Let pages of this one origin (e.g. https://editor.example.org) call the API from a browser; without it no CORS header is sent.", HelpName = "ORIGIN" };
        cors.Validators.Add(r =>
        {
            string value = r.GetValueOrDefault<string>() ?? "";
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || value.EndsWith('/'))
                r.AddError($"--cors: '{value}' is not an origin (scheme://host[:port], no path)");
        });
        var maxPixels = CommonOptions.MaxPixels();
        var method = new TransferOptions();
        var weights = new WeightsOptions();
        var device = new DeviceOption();
        var command = new Command("serve",
            "Serve colour transfer over HTTP with warm engines: POST /v1/transfer, /v1/lut, /v1/references; GET /healthz, /metrics, /openapi.json. " +
            "The transfer options below are the server's; a request may set its own as form fields named like them without the dashes (tau=0.02, render=local), the caps excepted.")
        { host, port, maxConcurrent, queue, maxUpload, tokenFile, noAuth, cors, maxPixels };
        foreach (var o in method.All) command.Add(o);
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        command.SetAction(p => Run.Guarded(false, () =>
        {
            string address = p.GetValue(host)!;
            string? token = p.GetValue(tokenFile) is { } file ? Token(file) : null;
            bool loopback = address == "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback && token is null && !p.GetValue(noAuth))
                throw new UsageException($"--host {address} reaches beyond this machine: give --token-file FILE, or --no-auth to serve anyone who reaches the port");
            var options = new ServeOptions
            {
                Host = address, Port = p.GetValue(port), MaxConcurrent = p.GetValue(maxConcurrent), Queue = p.GetValue(queue),
                MaxUploadBytes = p.GetValue(maxUpload) * (1L << 20), MaxPixels = p.GetValue(maxPixels), Token = token, CorsOrigin = p.GetValue(cors),
                Engine = device.Options(p, weights, MethodRegistry.Default, method.Read(p)),
                RequestSettings = new RequestSettings(RequestSettings.Given(p, method), settings => device.Options(p, weights, MethodRegistry.Default, settings)),
            };
            var (app, url) = ServeHost.StartAsync(options).GetAwaiter().GetResult();
            Console.WriteLine($"gct serve: listening on {url} ({options.MaxConcurrent} engine(s), queue {options.Queue}{(token is null ? "" : ", token required")}); Ctrl+C or SIGTERM stops it after the running jobs");
            app.WaitForShutdownAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        }));
        return command;
    }

    /// <summary>The token in <paramref name="file"/> (its first line, trimmed); never printed. Also the load generator's.</summary>
    internal static string Token(string file)
    {
        string text = System.Text.Encoding.UTF8.GetString(InputFile.ReadAll(file, "a token file")).Split('\n')[0].Trim();
        return text.Length >= 16 ? text : throw new UsageException($"{file}: the token is shorter than 16 characters; use a long random one (e.g. openssl rand -hex 32)");
    }
}
