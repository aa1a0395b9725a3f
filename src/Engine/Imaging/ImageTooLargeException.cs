namespace GpuColorTransfer.Engine.Imaging;

/// <summary>An image's header gives more pixels than the caller's limit; nothing was decoded.</summary>
public sealed class ImageTooLargeException(string path, int width, int height, long limit)
    : GctException($"{path}: is {width}x{height} = {(double)width * height / 1e6:F1} MP, above the limit of {limit / 1e6:F1} MP")
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>The pixel limit it exceeds.</summary>
    public long Limit { get; } = limit;
}
