using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Video;

/// <summary>Frames as ffmpeg's raw RGB24 (interleaved 8-bit R, G, B) and their conversion to and from planar float images.</summary>
public static class RawFrames
{
    /// <summary>Reads one frame of <paramref name="buffer"/>'s length; false at the end of the stream (a partial frame is an error).</summary>
    public static bool Read(Stream stream, byte[] buffer)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read == 0) return false;
        if (read < buffer.Length) throw new GctException($"the video stream ended inside a frame ({read} of {buffer.Length} bytes)");
        return true;
    }

    /// <summary>The frame as a planar image with values in [0,1].</summary>
    public static RgbImage ToImage(byte[] rgb, int width, int height)
    {
        var image = new RgbImage(width, height);
        int n = width * height;
        var p = image.Planes;
        Parallel.For(0, height, y =>
        {
            for (int i = y * width; i < (y + 1) * width; i++)
            {
                p[i] = rgb[3 * i] / 255f;
                p[n + i] = rgb[3 * i + 1] / 255f;
                p[2 * n + i] = rgb[3 * i + 2] / 255f;
            }
        });
        return image;
    }

    /// <summary>The image as RGB24 in <paramref name="rgb"/> (values clamped, rounded to 8 bits).</summary>
    public static void FromImage(RgbImage image, byte[] rgb)
    {
        int w = image.Width, n = w * image.Height;
        var p = image.Planes;
        Parallel.For(0, image.Height, y =>
        {
            for (int i = y * w; i < (y + 1) * w; i++)
            {
                rgb[3 * i] = ImageCodec.ToByte(p[i]);
                rgb[3 * i + 1] = ImageCodec.ToByte(p[n + i]);
                rgb[3 * i + 2] = ImageCodec.ToByte(p[2 * n + i]);
            }
        });
    }
}
