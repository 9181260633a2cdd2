#!/usr/bin/env bash
# Writes FullModels/Full*.cs: the eight architectures of issue 11 at full width and a 224×224 input, as CnnGen
# declarations imported by `cnngen import --no-embed-weights` from torchvision's own definitions exported to ONNX
# with random weights (nothing downloaded; the .onnx and .weights files stay in a temporary folder: VGG-11's
# weights alone are 530 MB). The benchmarks give both engines the same generated random weights instead.
#   tests/CnnGen.Benchmarks/FullModels/import_full_models.sh     (needs Debian's python3-torch, python3-torchvision)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$tmp" <<'PY'
import sys, torch, torchvision.models as tvm
for name in ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2_x0_5",
             "efficientnet_b0", "alexnet", "vgg11"]:
    torch.manual_seed(0)
    model = getattr(tvm, name)(weights=None).eval()
    torch.onnx.export(model, torch.zeros(1, 3, 224, 224), f"{sys.argv[1]}/{name}.onnx", opset_version=13,
                      input_names=["input"], output_names=["output"], do_constant_folding=True)
    print("exported", name)
PY
for model in "$tmp"/*.onnx; do
  base="$(basename "$model" .onnx)"
  class="Full$(echo "$base" | sed -E 's/(^|_)([a-z0-9])/\U\2/g')"
  dotnet run --project "$root/src/CnnGen.Tool" -c Release -- import "$model" --no-embed-weights \
    --name "$class" --namespace CnnGen.Benchmarks.FullModels --output "$tmp" >/dev/null
  cp "$tmp/$class.cs" "$here/$class.cs"
  echo "imported $base -> FullModels/$class.cs"
done
