using System.Reflection;
using System.Text.RegularExpressions;
using GpuColorTransfer.Engine;

namespace GpuColorTransfer.Tests.Architecture;

/// <summary>
/// Dependencies run one way: CLI -> Engine -> Kernels. Within the engine only the backends
/// (src/Engine/Backends) touch ILGPU and the backend implementations (Backends/Cpu,
/// Backends/Device), which do not use each other; everything else sees the backend interface.
/// Checked on the assemblies' references, the public API and the source, comments left out.
/// </summary>
public partial class DependencyTests
{
    private static readonly Assembly Kernels = typeof(GpuColorTransfer.Kernels.ColorMath).Assembly;
    private static readonly Assembly Engine = typeof(ColorTransferEngine).Assembly;
    private static readonly Assembly Cli = typeof(GpuColorTransfer.Cli.Program).Assembly;

    [Fact]
    public void Assemblies_reference_only_the_layers_below_them()
    {
        static string[] Names(Assembly a) => [.. a.GetReferencedAssemblies().Select(r => r.Name!)];
        Assert.DoesNotContain(Engine.GetName().Name, Names(Kernels));
        Assert.DoesNotContain(Cli.GetName().Name, Names(Kernels));
        Assert.DoesNotContain(Cli.GetName().Name, Names(Engine));
        Assert.Contains(Kernels.GetName().Name, Names(Engine));
    }

    [Fact]
    public void The_engines_public_api_exposes_no_ilgpu_type()
    {
        var leaks = new List<string>();
        foreach (var type in Engine.GetExportedTypes())
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                foreach (var used in TypesIn(member))
                    if (FromIlgpu(used)) leaks.Add($"{type.FullName}.{member.Name} uses {used.FullName}");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    public static TheoryData<string, string, string> Rules() => new()
    {
        // folder (from src/), a forbidden reference (regular expression), why
        { "Kernels", @"\bGpuColorTransfer\.(Engine|Cli)\b", "the kernels depend on nothing of ours" },
        { "Engine", @"\bGpuColorTransfer\.Cli\b", "the engine does not know its command line" },
        { "Engine", @"\bILGPU\b", "only the backends touch ILGPU" },
        { "Engine", @"\bBackends\.(Cpu|Device)\b|\b(CpuBackend|DeviceBackend)\b", "only the backends' selector creates a backend" },
        { "Engine/Backends/Cpu", SiblingOf("Device"), "the two backends are independent" },
        { "Engine/Backends/Device", SiblingOf("Cpu"), "the two backends are independent" },
        { "Cli", @"\bILGPU\b|\bSkiaSharp\b|\bGpuColorTransfer\.Kernels\b|\bBackends\.(Cpu|Device)\b", "the command line uses the engine's public surface" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void No_source_file_imports_the_wrong_way(string folder, string forbidden, string why)
    {
        string root = Path.Combine(TestData.RepositoryRoot, "src", folder);
        var pattern = new Regex(forbidden);
        var offences = new List<string>();
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(Path.Combine(TestData.RepositoryRoot, "src"), file).Replace('\\', '/');
            if (relative.Contains("/obj/") || relative.Contains("/bin/") || Exempt(folder, relative)) continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                string code = CodeOf(lines[i]);
                if (pattern.IsMatch(code)) offences.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
            }
        }
        Assert.True(offences.Count == 0, $"{why}:\n{string.Join("\n", offences)}");
    }

    [Fact]
    public void The_rules_catch_a_wrong_way_import()
    {
        // The rules themselves, on lines written for them.
        var rules = Rules().Select(r => ((string)r[0], new Regex((string)r[1]))).ToList();
        bool Caught(string folder, string line) => rules.Any(r => r.Item1 == folder && r.Item2.IsMatch(CodeOf(line)));
        Assert.True(Caught("Engine", "using ILGPU.Runtime;"));
        Assert.True(Caught("Engine", "using GpuColorTransfer.Engine.Backends.Cpu;"));
        Assert.True(Caught("Cli", "using SkiaSharp;"));
        Assert.True(Caught("Engine/Backends/Device", "        CpuAttention.MatchedColors(a, b);"));
        Assert.False(Caught("Engine", "/// see <see cref=\"Backends.Cpu.CpuBackend\"/>"));
        Assert.False(Caught("Engine", "using GpuColorTransfer.Engine.Backends;"));
        Assert.False(Caught("Cli", "Console.WriteLine(\"the devices ILGPU finds\"); // and ILGPU in a comment"));
        Assert.True(Caught("Cli", "var x = \"a\" + ILGPU.Runtime.Accelerator.Current;"));
    }

    /// <summary>A reference to the other backend: its namespace or any class of its folder.</summary>
    private static string SiblingOf(string backend)
    {
        var classes = Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "src", "Engine", "Backends", backend), "*.cs").Select(Path.GetFileNameWithoutExtension);
        return $@"\bBackends\.{backend}\b|\b({string.Join('|', classes)})\b";
    }

    /// <summary>The backends' own folder may touch ILGPU and create backends; the selector creates both.</summary>
    private static bool Exempt(string folder, string relative) => folder == "Engine" && relative.StartsWith("Engine/Backends/", StringComparison.Ordinal);

    /// <summary>A line without its string literals and its comment (text and documentation are not dependencies).</summary>
    private static string CodeOf(string line)
    {
        string code = StringLiteral().Replace(line, "\"\"");
        int comment = code.IndexOf("//", StringComparison.Ordinal);
        return comment >= 0 ? code[..comment] : code;
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    private static bool FromIlgpu(Type t) => t.Assembly.GetName().Name!.StartsWith("ILGPU", StringComparison.Ordinal);

    private static IEnumerable<Type> TypesIn(MemberInfo member)
    {
        IEnumerable<Type> direct = member switch
        {
            MethodInfo m => [m.ReturnType, .. m.GetParameters().Select(p => p.ParameterType)],
            ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
            PropertyInfo p => [p.PropertyType],
            FieldInfo f => [f.FieldType],
            EventInfo e => [e.EventHandlerType!],
            _ => [],
        };
        return direct.SelectMany(Expand);
    }

    private static IEnumerable<Type> Expand(Type t)
    {
        if (t.HasElementType) return Expand(t.GetElementType()!);
        if (t.IsGenericType) return [t.GetGenericTypeDefinition(), .. t.GetGenericArguments().SelectMany(Expand)];
        return [t];
    }
}
