namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>A colour map F: an sRGB colour (values nominally in [0,1]) to an sRGB colour.</summary>
public interface IColorMap
{
    /// <summary>F(r, g, b).</summary>
    (float R, float G, float B) Map(float r, float g, float b);
}
