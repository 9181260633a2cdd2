using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using CnnGen.Generator.Diagnostics;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Parsing;

/// <summary>The file named by <c>[Network(Weights = "…")]</c> must be an additional file of exactly ParameterCount floats.</summary>
internal static class WeightsCheck
{
    public static EquatableArray<DiagnosticInfo> Check(NetworkResult result, ImmutableArray<WeightsFile> files)
    {
        if (result.Weights is not WeightsRequest request)
        {
            return result.Diagnostics;
        }
        DiagnosticInfo? problem = Problem(result.Plan, request, files);
        return problem is null ? result.Diagnostics : result.Diagnostics.Concat(new[] { problem }).ToEquatableArray();
    }

    private static DiagnosticInfo? Problem(NetworkPlan? plan, WeightsRequest request, ImmutableArray<WeightsFile> files)
    {
        WeightsFile? file = files.FirstOrDefault(f => f.Matches(request.Path));
        if (file is null)
        {
            string known = files.IsEmpty ? "it has none ending in .weights" : "it has " + string.Join(", ", files.Select(f => System.IO.Path.GetFileName(f.Path)));
            return Create(DiagnosticDescriptors.WeightsFileMissing, request, request.Path, known);
        }
        if (file.ByteLength is not long byteLength)
        {
            return Create(DiagnosticDescriptors.WeightsNotMeasured, request, request.Path);
        }
        if (byteLength < 0)
        {
            return Create(DiagnosticDescriptors.WeightsFileNotFound, request, request.Path, file.Path);
        }
        if (plan is null || !plan.IsValid || byteLength == (long)plan.ParameterCount * sizeof(float))
        {
            return null;
        }
        return Create(DiagnosticDescriptors.WeightsSizeMismatch, request,
            request.Path, Count(byteLength), plan.Type.Name, Count(plan.ParameterCount), Count((long)plan.ParameterCount * sizeof(float)));
    }

    private static DiagnosticInfo Create(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, WeightsRequest request, params object[] args) =>
        DiagnosticInfo.Create(descriptor, null, args) with { Location = request.Location };

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
