/// The luma-only landmarks of the world: a labelled grid of cells, each with a seeded shape, a target at the
/// centre (where "home" points) and a border, so a person watching PTZ moves can tell where the camera points.
struct WorldLandmarks {
    let worldSize: PixelSize
    /// Side of one grid cell: an eighth of the world height.
    let cell: Int
    /// Grid line thickness.
    let line: Int

    init(worldSize: PixelSize) {
        self.worldSize = worldSize
        cell = max(8, worldSize.height / 8)
        line = max(1, cell / 64)
    }

    func paint(into world: inout I420Image, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let labelScale = max(1, cell / 48)
        for row in 0...(worldSize.height / cell) {
            for column in 0...(worldSize.width / cell) {
                let origin = (x: column * cell, y: row * cell)
                paintShape(at: origin, random: &random, into: &world)
                let label = String(UnicodeScalar(UInt8(ascii: "A") + UInt8(column % 26))) + "\(row + 1)"
                let text = TextPainter.boxSize(label, scale: labelScale)
                let box = PixelRect(x: origin.x + line, y: origin.y + line, width: text.width, height: text.height)
                world.fillLuma(box, TextPainter.boxLuma)
                TextPainter.drawGlyphs(
                    label, x: box.x + labelScale, y: box.y + labelScale, scale: labelScale,
                    luma: TextPainter.textLuma, into: &world)
            }
        }
        paintGrid(into: &world)
        paintTarget(into: &world)
    }

    /// One shape of seeded kind and ink, centred in the cell; patterned kinds alternate ink and "paper".
    private func paintShape(at origin: (x: Int, y: Int), random: inout SplitMix64, into world: inout I420Image) {
        let shape = LandmarkShape.allCases[random.int(in: 0...(LandmarkShape.allCases.count - 1))]
        let bright = random.int(in: 0...1) == 1
        let ink = UInt8(bright ? random.int(in: 180...235) : random.int(in: 16...48))
        let paper = UInt8(bright ? random.int(in: 16...48) : random.int(in: 180...235))
        let radius = cell * 3 / 10
        let centre = (x: origin.x + cell / 2, y: origin.y + cell / 2 + cell / 16)
        let bounds = PixelRect(
            x: centre.x - radius, y: centre.y - radius, width: 2 * radius + 1, height: 2 * radius + 1)
        world.paintLuma(in: bounds) { x, y in
            shape.luma(dx: x - centre.x, dy: y - centre.y, radius: radius, ink: ink, paper: paper)
        }
    }

    /// Light grid lines on every cell boundary plus a double-width border round the world.
    private func paintGrid(into world: inout I420Image) {
        let gridLuma: UInt8 = 210
        for x in stride(from: 0, to: worldSize.width, by: cell) {
            world.fillLuma(PixelRect(x: x, y: 0, width: line, height: worldSize.height), gridLuma)
        }
        for y in stride(from: 0, to: worldSize.height, by: cell) {
            world.fillLuma(PixelRect(x: 0, y: y, width: worldSize.width, height: line), gridLuma)
        }
        let all = PixelRect(x: 0, y: 0, width: worldSize.width, height: worldSize.height)
        let inner = all.outset(by: -2 * line)
        world.paintLuma(in: all) { x, y in inner.contains(x: x, y: y) ? nil : 235 }
    }

    /// Concentric black/white rings at the world centre, the spot `Viewport.home` looks at.
    private func paintTarget(into world: inout I420Image) {
        let centre = (x: worldSize.width / 2, y: worldSize.height / 2)
        let radius = cell * 3 / 4
        let ringWidth = max(1, radius / 6)
        let bounds = PixelRect(
            x: centre.x - radius, y: centre.y - radius, width: 2 * radius + 1, height: 2 * radius + 1)
        world.paintLuma(in: bounds) { x, y in
            let dx = x - centre.x
            let dy = y - centre.y
            let distanceSquared = dx * dx + dy * dy
            guard distanceSquared <= radius * radius else { return nil }
            let distance = Int(Double(distanceSquared).squareRoot())
            return (distance / ringWidth) % 2 == 0 ? 235 : 16
        }
    }
}

/// The shapes a world cell can hold; varied so every part of the world looks different.
enum LandmarkShape: CaseIterable {
    case disc, ring, square, diamond, triangle, checker, stripes, cross

    /// Luma at offset (`dx`, `dy`) from the shape centre, or nil outside the shape.
    func luma(dx: Int, dy: Int, radius: Int, ink: UInt8, paper: UInt8) -> UInt8? {
        let inSquare = abs(dx) <= radius * 4 / 5 && abs(dy) <= radius * 4 / 5
        let distanceSquared = dx * dx + dy * dy
        let inside: Bool
        switch self {
        case .disc: inside = distanceSquared <= radius * radius
        case .ring: inside = distanceSquared <= radius * radius && distanceSquared >= radius * radius * 9 / 25
        case .square: inside = inSquare
        case .diamond: inside = abs(dx) + abs(dy) <= radius
        case .triangle: inside = abs(dx) * 2 <= dy + radius && dy <= radius
        case .cross:
            inside = (abs(dx) <= radius / 4 && abs(dy) <= radius) || (abs(dy) <= radius / 4 && abs(dx) <= radius)
        case .checker:
            let square = max(1, radius / 3)
            return inSquare ? (((dx + radius) / square + (dy + radius) / square) % 2 == 0 ? ink : paper) : nil
        case .stripes:
            let band = max(1, radius / 4)
            return inSquare ? (((dx + dy + 2 * radius) / band) % 2 == 0 ? ink : paper) : nil
        }
        return inside ? ink : nil
    }
}
