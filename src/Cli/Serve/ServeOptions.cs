using GpuColorTransfer.Engine;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>What `gct serve` was asked for: where it listens, how much work it takes, who may call it.</summary>
internal sealed record ServeOptions
{
    /// <summary>The address to bind (127.0.0.1 by default: this machine only).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 takes a free one (tests).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The engine's options (device, weights, transfer settings), one engine per concurrent job.</summary>
    public EngineOptions Engine { get; init; } = new();

    /// <summary>Jobs on the engines at once (one engine each).</summary>
    public int MaxConcurrent { get; init; } = 1;

    /// <summary>Jobs that may wait for an engine; beyond, 503 with Retry-After.</summary>
    public int Queue { get; init; } = 16;

    /// <summary>The largest request body accepted, in bytes.</summary>
    public long MaxUploadBytes { get; init; } = 64L << 20;

    /// <summary>Input images with more pixels are refused from their header.</summary>
    public long MaxPixels { get; init; } = GpuColorTransfer.Engine.Imaging.ImageCodec.DefaultMaxPixels;

    /// <summary>The bearer token every /v1 request must carry; null: none (loopback, or --no-auth).</summary>
    public string? Token { get; init; }

    /// <summary>The one origin whose pages may call the API from a browser (CORS); null: none.</summary>
    public string? CorsOrigin { get; init; }

    /// <summary>Reads the transfer options of a request (fields named like gct transfer's options); null: requests may set none.</summary>
    public RequestSettings? RequestSettings { get; init; }

    /// <summary>References kept analysed (each engine keeps its own analyses).</summary>
    public int CachedReferences { get; init; } = 8;
}
