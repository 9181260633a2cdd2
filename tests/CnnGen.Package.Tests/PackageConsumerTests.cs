using System;
using System.IO;
using System.Linq;
using Xunit;

namespace CnnGen.Package.Tests;

/// <summary>
/// Packs CnnGen and builds separate consumer projects that restore it from a local folder feed
/// (not a project reference): the generator must load from analyzers/dotnet/cs, the build targets
/// must embed weights, and the diagnostics must reach the build output.
/// </summary>
public sealed class PackageConsumerTests : IClassFixture<PackageConsumerTests.PackedFeed>
{
    private readonly PackedFeed _feed;

    public PackageConsumerTests(PackedFeed feed) => _feed = feed;

    [Fact]
    public void ConsumerBuildsAndRunsANetworkWithEmbeddedWeights()
    {
        string project = _feed.CreateConsumer("Consumer", """
            using System;
            using CnnGen;

            var net = new Tiny();
            var output = new float[Tiny.OutputLength];
            var input = new float[Tiny.InputLength];
            Array.Fill(input, 1f);
            net.Forward(input, output);
            Console.WriteLine($"outputs={Tiny.OutputLength} parameters={Tiny.ParameterCount} first={output[0]}");

            [Network(Weights = "tiny.weights")]
            [Input(4, 4, 1)]
            [Conv(3, 3, 2)]
            [Relu]
            [FullyConnected(3)]
            public partial class Tiny { }
            """);
        // Conv: 2·(3·3·1) + 2 = 20; FC: 3·(2·2·2) + 3 = 27; all ones → conv output 10 each, FC output 8·10 + 1 = 81.
        File.WriteAllBytes(Path.Combine(project, "tiny.weights"), Enumerable.Repeat(BitConverter.GetBytes(1f), 47).SelectMany(b => b).ToArray());

        (int exit, string output) = PackedFeed.Dotnet(project, "run");

        Assert.True(exit == 0, output);
        Assert.Contains("outputs=3 parameters=47 first=81", output);
    }

    [Fact]
    public void ConsumerSeesShapeErrorsAsCompileErrors()
    {
        string project = _feed.CreateConsumer("Broken", """
            using CnnGen;

            [Network]
            [Input(14, 14, 1)]
            [Conv(5, 5, 4, Depth = 3)]
            public partial class Broken { }
            """, withWeights: false);

        (int exit, string output) = PackedFeed.Dotnet(project, "build");

        Assert.NotEqual(0, exit);
        Assert.Contains("error CNN0009", output);
        Assert.Contains("expects filters of depth 3 but its input 14×14×1 has depth 1", output);
        Assert.DoesNotContain("CS8785", output); // the generator loaded and did not crash
    }

    /// <summary>Packs src/CnnGen once (from the configuration the tests were built in) into a temporary folder feed.</summary>
    public sealed class PackedFeed : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "cnngen-package-" + Guid.NewGuid().ToString("N")[..12]);

        public PackedFeed()
        {
            Directory.CreateDirectory(_root);
            Feed = Path.Combine(_root, "feed");
            Version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            string repository = RepositoryRoot();
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            (int exit, string output) = Dotnet(repository, "pack", "src/CnnGen/CnnGen.csproj", "-c", configuration, "--no-build",
                "-o", Feed, $"-p:Version={Version}");
            Assert.True(exit == 0, "dotnet pack failed:\n" + output);
        }

        public string Feed { get; }

        public string Version { get; }

        /// <summary>A console project that restores CnnGen from the feed (and everything else from the machine's package cache).</summary>
        public string CreateConsumer(string name, string program, bool withWeights = true)
        {
            string project = Path.Combine(_root, name);
            Directory.CreateDirectory(project);
            string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{Feed}" />
                    <add key="machine-cache" value="{cache}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(project, name + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <RestorePackagesPath>{Path.Combine(_root, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="CnnGen" Version="{Version}" />
                    {(withWeights ? "<AdditionalFiles Include=\"tiny.weights\" />" : "")}
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(project, "Program.cs"), program);
            return project;
        }

        public static (int Exit, string Output) Dotnet(string workingDirectory, params string[] arguments)
        {
            (int exit, string output, string error) = CnnGen.Tests.ChildProcess.Run("dotnet", workingDirectory, arguments);
            return (exit, output + error);
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CnnGen.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("Cannot find CnnGen.sln above " + AppContext.BaseDirectory);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not a test failure.
            }
        }
    }
}
