using GpuColorTransfer.Engine.Backends;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>The colour transfer methods by name: the paper's method and the classic baselines.</summary>
public static class MethodRegistry
{
    /// <summary>The paper's method (Carrillo, Clément and Bugeau 2021), the default.</summary>
    public const string Default = "carrillo";

    /// <summary>The transfer methods, with a one-line description each.</summary>
    public static IReadOnlyList<(string Name, string Description)> Methods { get; } =
    [
        ("carrillo", "the paper's method: superpixel-matched VGG-19 features, fusion and regrain"),
        ("reinhard", "Lab mean/std (Reinhard et al. 2001)"),
        ("mkl", "Pitié's linear Monge-Kantorovich map (2007)"),
        ("idt", "Pitié's iterative distribution transfer + regrain (2005)"),
        ("welsh", "colourisation by lightness and local-variance matching (Welsh et al. 2002)"),
    ];

    /// <summary>The names of <see cref="Methods"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = Methods.Select(m => m.Name).ToArray();

    /// <summary>"identity" (the target unchanged, an evaluation anchor) and the <see cref="Names"/>.</summary>
    public static IReadOnlyList<string> NamesWithIdentity { get; } = ["identity", .. Names];

    /// <summary>Throws an <see cref="ArgumentException"/> naming the methods when no method is called <paramref name="name"/>.</summary>
    public static void Require(string name, string parameter)
    {
        if (!NamesWithIdentity.Contains(name))
            throw new ArgumentException($"no colour transfer method is called '{name}'; the methods are {string.Join(", ", NamesWithIdentity)}", parameter);
    }

    /// <summary>The baseline or anchor called <paramref name="name"/> (any method but <see cref="Default"/>, which the engine runs itself).</summary>
    /// <exception cref="ArgumentException">No such method, or <see cref="Default"/>.</exception>
    /// <param name="name">The method.</param>
    /// <param name="settings">The settings (IDT reads the regrain's).</param>
    /// <param name="backend">The backend that runs the regrain after IDT.</param>
    internal static IColorTransferMethod CreateBaseline(string name, TransferSettings settings, IBackend backend)
    {
        Require(name, nameof(name));
        return name switch
        {
            "identity" => new Identity(),
            "reinhard" => new Reinhard(),
            "mkl" => new Mkl(),
            "idt" => new Idt(settings.Regrain ?? true ? backend : null, settings.Smoothness),
            "welsh" => new Welsh(),
            _ => throw new ArgumentException($"{name} is run by the engine's pipeline, not as a baseline", nameof(name)),
        };
    }
}
