// The drawing side of the digit pad: strokes on a canvas from mouse, pen or touch (pointer events),
// and a way for .NET to read the ink without a JSON round trip. .NET does the rest.
let canvas = null;
let context = null;
let inkBytes = null;

export function attach(canvasId, size, inkChanged) {
    canvas = document.getElementById(canvasId);
    context = canvas.getContext("2d", { willReadFrequently: true });
    inkBytes = new Uint8Array(size * size);
    // Stroke width about what MNIST's pen gives a digit that fills most of the canvas.
    context.lineWidth = size / 12;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";

    let drawing = false;
    let last = null;
    let scheduled = false;
    const changed = () => {
        if (!scheduled) {
            scheduled = true;
            requestAnimationFrame(() => { scheduled = false; inkChanged(); });
        }
    };
    const point = e => {
        const r = canvas.getBoundingClientRect();
        return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
    };
    canvas.addEventListener("pointerdown", e => {
        drawing = true;
        canvas.setPointerCapture(e.pointerId);
        last = point(e);
        context.beginPath();
        context.moveTo(last.x, last.y);
        context.lineTo(last.x + 0.01, last.y);   // a tap leaves a dot
        context.stroke();
        changed();
    });
    canvas.addEventListener("pointermove", e => {
        if (!drawing) return;
        const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
        context.beginPath();
        context.moveTo(last.x, last.y);
        for (const c of events.length ? events : [e]) {
            last = point(c);
            context.lineTo(last.x, last.y);
        }
        context.stroke();
        changed();
    });
    const end = () => { drawing = false; };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
}

export function readInk(view) {
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0, j = 3; i < inkBytes.length; i++, j += 4) {
        inkBytes[i] = rgba[j];
    }
    view.set(inkBytes);
}

export function clear() {
    context.clearRect(0, 0, canvas.width, canvas.height);
}
