using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace CnnGen.Samples.Tests;

/// <summary>
/// Serves a folder of static files on a free loopback port, the way any static host would serve a
/// published Blazor WebAssembly app: plain files, with the content types browsers insist on
/// (application/wasm for streaming compilation, a JavaScript type for modules).
/// </summary>
internal sealed class StaticFileServer : IDisposable
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json",
        [".wasm"] = "application/wasm",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".svg"] = "image/svg+xml",
    };

    private readonly string _root;
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public StaticFileServer(string root)
    {
        _root = Path.GetFullPath(root);
        Port = FreePort();
        Address = $"http://127.0.0.1:{Port}/";
        _listener.Prefixes.Add(Address);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The address of the folder's root, ending in a slash.</summary>
    public string Address { get; }

    public int Port { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = Task.Run(() => Respond(context));
        }
    }

    private void Respond(HttpListenerContext context)
    {
        using HttpListenerResponse response = context.Response;
        try
        {
            string relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
            string path = Path.GetFullPath(Path.Combine(_root, relative.Length == 0 ? "index.html" : relative));
            if (!path.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                return;
            }
            response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            byte[] content = File.ReadAllBytes(path);
            response.ContentLength64 = content.Length;
            response.OutputStream.Write(content);
        }
        catch (Exception e) when (e is IOException or HttpListenerException)
        {
            // The browser went away mid-response.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
