using System;
using QuickStart;

// Deterministic stand-in weights: a real app loads trained ones (TinyNet.FromFile).
var random = new Random(42);
var parameters = new float[TinyNet.ParameterCount];
for (int i = 0; i < parameters.Length; i++)
{
    parameters[i] = (float)(random.NextDouble() - 0.5) * 0.2f;
}
var net = new TinyNet(parameters);

var image = new float[TinyNet.InputLength];
for (int i = 0; i < image.Length; i++)
{
    image[i] = (float)random.NextDouble();
}
var probabilities = new float[TinyNet.OutputLength];
net.Forward(image, probabilities);

Console.WriteLine($"TinyNet: {TinyNet.InputWidth}×{TinyNet.InputHeight}×{TinyNet.InputDepth} → {TinyNet.OutputLength}, {TinyNet.ParameterCount:N0} parameters");
foreach (var layer in TinyNet.Layers)
{
    Console.WriteLine($"  {layer.Name,-10} {layer.Input,-10} → {layer.Output,-10} {layer.ParameterCount,8:N0} parameters {layer.MultiplyAdds,12:N0} multiply-adds");
}
Console.WriteLine("Probabilities: " + string.Join(" ", Array.ConvertAll(probabilities, p => p.ToString("0.000"))));
