using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace GpuColorTransfer.Cli.Serve;

// The multipart fields of the API, as the OpenAPI document describes them (the handlers read and
// check the form themselves, with the CLI's messages).

/// <summary>The fields of POST /v1/transfer and /v1/lut; any option of gct transfer may be added, named without its dashes (tau, render, regrain...).</summary>
internal sealed class TransferFields
{
    [JsonPropertyName("target"), Description("The image to recolour (JPEG, PNG or WebP, recognised from its bytes).")]
    public IFormFile? Target { get; init; }

    [JsonPropertyName("reference"), Description("The image whose colours are transferred; or give reference_id.")]
    public IFormFile? Reference { get; init; }

    [JsonPropertyName("reference_id"), Description("The id of a reference analysed by POST /v1/references (the SHA-256 of its bytes).")]
    public string? ReferenceId { get; init; }

    [JsonPropertyName("format"), Description("/v1/transfer: png (default), jpg or webp.")]
    public string? Format { get; init; }

    [JsonPropertyName("quality"), Description("/v1/transfer: JPEG and WebP quality, 1-100 (95).")]
    public int? Quality { get; init; }

    [JsonPropertyName("strength"), Description("/v1/transfer: the blend with the target, 0-1 (the server's --strength).")]
    public float? Strength { get; init; }

    [JsonPropertyName("size"), Description("/v1/lut: nodes per axis of the .cube table, 2-129 (33).")]
    public int? Size { get; init; }
}

/// <summary>The field of POST /v1/references.</summary>
internal sealed class ReferenceFields
{
    [JsonPropertyName("reference"), Description("The image to analyse (JPEG, PNG or WebP).")]
    public IFormFile? Reference { get; init; }
}
