namespace CnnGen.Generator.Model;

/// <summary>The attributes a network is declared with, in the order they may appear.</summary>
internal enum LayerKind
{
    Input,
    Conv,
    Relu,
    MaxPool,
    AvgPool,
    FullyConnected,
    Softmax,
}
