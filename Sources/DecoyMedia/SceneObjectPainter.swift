/// Draws `SceneObject` silhouettes: a few filled rectangles, ellipses and discs per object, laid out in
/// fractions of the object's box so they scale with the frame.
///
/// Bodies are bright (luma 170–210) on the mid-dark scenery and carry saturated chroma, details (legs, wheels,
/// eyes) are dark, so the shapes read as what they are to a person and stand out to a pixel-based detector.
enum SceneObjectPainter {
    /// Skin tone (U, V) for heads and faces.
    static let skin: (u: UInt8, v: UInt8) = (110, 160)
    /// Neutral chroma for black/grey parts.
    static let neutral: (u: UInt8, v: UInt8) = (128, 128)

    /// Draws `object` as it is at `timeMilliseconds`; nothing when it is absent then.
    static func draw(_ object: SceneObject, atMilliseconds timeMilliseconds: Int64, into image: inout I420Image) {
        guard let pose = object.pose(atMilliseconds: timeMilliseconds, in: image.size) else { return }
        let canvas = Canvas(pose: pose)
        switch object.kind {
        case .person: canvas.person(into: &image)
        case .vehicle: canvas.vehicle(into: &image)
        case .pet: canvas.pet(into: &image)
        case .face: canvas.face(into: &image)
        }
    }

    /// Maps shapes given in fractions of the pose's box (0...1 each way, x mirrored when facing left) to pixels.
    private struct Canvas {
        let pose: SceneObject.Pose

        init(pose: SceneObject.Pose) { self.pose = pose }

        func rect(_ fx: Double, _ fy: Double, _ fw: Double, _ fh: Double) -> PixelRect {
            let box = pose.bounds
            let left = pose.facingLeft ? 1 - fx - fw : fx
            let x = box.x + Int(left * Double(box.width))
            let y = box.y + Int(fy * Double(box.height))
            let width = max(1, Int(fw * Double(box.width)))
            let height = max(1, Int(fh * Double(box.height)))
            return PixelRect(x: x, y: y, width: width, height: height)
        }

        func block(
            _ shape: PixelRect, luma: UInt8, chroma: (u: UInt8, v: UInt8), into image: inout I420Image
        ) {
            image.fill(shape, y: luma, u: chroma.u, v: chroma.v)
        }

        /// Disc of radius `fr` (fraction of the box height) centred at (`fx`, `fy`).
        func disc(
            _ fx: Double, _ fy: Double, radius fr: Double, luma: UInt8, chroma: (u: UInt8, v: UInt8),
            into image: inout I420Image
        ) {
            let centre = rect(fx, fy, 0, 0)
            let radius = max(1, Int(fr * Double(pose.bounds.height)))
            image.fillDisc(centerX: centre.x, centerY: centre.y, radius: radius, luma: luma, chroma: chroma)
        }

        func person(into image: inout I420Image) {
            let swing = 0.12 * pose.stride
            let trousers: (u: UInt8, v: UInt8) = (150, 115)
            block(rect(0.15 + swing, 0.6, 0.3, 0.4), luma: 60, chroma: trousers, into: &image)
            block(rect(0.55 - swing, 0.6, 0.3, 0.4), luma: 60, chroma: trousers, into: &image)
            block(rect(0.1, 0.21, 0.8, 0.42), luma: 205, chroma: pose.chroma, into: &image)
            disc(0.5, 0.11, radius: 0.1, luma: 190, chroma: skin, into: &image)
        }

        func vehicle(into image: inout I420Image) {
            block(rect(0.22, 0, 0.5, 0.4), luma: 170, chroma: pose.chroma, into: &image)
            block(rect(0.27, 0.08, 0.4, 0.25), luma: 70, chroma: neutral, into: &image)
            block(rect(0, 0.35, 1, 0.42), luma: 200, chroma: pose.chroma, into: &image)
            disc(0.2, 0.78, radius: 0.22, luma: 25, chroma: neutral, into: &image)
            disc(0.8, 0.78, radius: 0.22, luma: 25, chroma: neutral, into: &image)
        }

        func pet(into image: inout I420Image) {
            let fur: (u: UInt8, v: UInt8) = (85, 170)
            let swing = 0.05 * pose.stride
            for (index, leg) in [0.25, 0.38, 0.6, 0.72].enumerated() {
                let offset = index.isMultiple(of: 2) ? swing : -swing
                block(rect(leg + offset, 0.62, 0.06, 0.38), luma: 150, chroma: fur, into: &image)
            }
            block(rect(0.02, 0.2, 0.2, 0.12), luma: 160, chroma: fur, into: &image)
            image.fillEllipse(rect(0.2, 0.3, 0.58, 0.45), luma: 175, chroma: fur)
            disc(0.84, 0.3, radius: 0.2, luma: 185, chroma: fur, into: &image)
        }

        func face(into image: inout I420Image) {
            image.fillEllipse(pose.bounds, luma: 185, chroma: skin)
            let eyeRadius = 0.07 * Double(pose.bounds.width) / Double(max(1, pose.bounds.height))
            disc(0.32, 0.4, radius: eyeRadius, luma: 30, chroma: neutral, into: &image)
            disc(0.68, 0.4, radius: eyeRadius, luma: 30, chroma: neutral, into: &image)
            block(rect(0.3, 0.7, 0.4, 0.07), luma: 60, chroma: (120, 175), into: &image)
        }
    }
}

extension I420Image {
    /// Fills the ellipse inscribed in `rect` (clipped to the image) with one colour.
    fileprivate mutating func fillEllipse(_ rect: PixelRect, luma: UInt8, chroma: (u: UInt8, v: UInt8)) {
        guard !rect.isEmpty else { return }
        let (width, height) = (rect.width, rect.height)
        let limit = width * width * height * height
        // Doubled coordinates put the centre on the grid for even and odd sizes alike.
        let inside = { (x: Int, y: Int) -> Bool in
            let dx = 2 * (x - rect.x) + 1 - width
            let dy = 2 * (y - rect.y) + 1 - height
            return dx * dx * height * height + dy * dy * width * width <= limit
        }
        paintLuma(in: rect) { x, y in inside(x, y) ? luma : nil }
        paintChroma(in: rect) { x, y in inside(x + 1, y + 1) ? chroma : nil }
    }
}
