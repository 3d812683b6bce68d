//! Handwritten signatures from a pen tablet or a touch screen (道志 j): the pointer's points become
//! the strokes the forms engine draws (`[x, y, pressure]`, each 0–1 across the signature box), with a
//! line width that follows the pen's pressure. Devices that report no pressure (a finger, a mouse, a
//! pen without it) get a virtual pressure from the stroke's speed: slow is heavy, fast is light, as
//! with ink.

/// One sample of the pointer (Pointer Events), in the capture area's pixels and milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawPoint {
    pub x: f64,
    pub y: f64,
    pub t_ms: f64,
    /// 0–1 as Pointer Events report it; `None` when the device reports none.
    pub pressure: Option<f64>,
}

/// Pressure levels kept (a 4,096-level pen keeps all of its levels).
pub const LEVELS: f64 = 4096.0;
/// Most strokes and points accepted for one signature.
pub const MAX_STROKES: usize = 200;
pub const MAX_POINTS: usize = 20_000;

/// Why a signature cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    Empty,
    TooLarge,
    BadArea,
    BadPoint,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message_ja())
    }
}

impl std::error::Error for SignatureError {}

impl SignatureError {
    pub fn message_ja(&self) -> &'static str {
        match self {
            SignatureError::Empty => "署名がありません。枠の中に署名してください。",
            SignatureError::TooLarge => "署名のデータが大きすぎます。もう一度署名してください。",
            SignatureError::BadArea | SignatureError::BadPoint => {
                "署名を読み取れませんでした。もう一度署名してください。"
            }
        }
    }
}

/// Whether the stroke's device reported a real pressure: Pointer Events give 0.5 for every point of
/// a device without pressure (and 0 when the button is up).
fn has_real_pressure(stroke: &[RawPoint]) -> bool {
    let values: Vec<f64> = stroke.iter().filter_map(|p| p.pressure).collect();
    if values.len() != stroke.len() {
        return false;
    }
    let (min, max) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    max - min > 1e-3 || values.iter().any(|v| *v != 0.5 && *v != 0.0)
}

/// Pressure from speed: `1 / (1 + v / v0)` with `v0` the stroke's median speed, smoothed over
/// neighbouring points, kept between 0.2 and 1.
fn virtual_pressure(stroke: &[RawPoint]) -> Vec<f64> {
    let speeds: Vec<f64> = stroke
        .windows(2)
        .map(|w| {
            let d = ((w[1].x - w[0].x).powi(2) + (w[1].y - w[0].y).powi(2)).sqrt();
            d / (w[1].t_ms - w[0].t_ms).max(1.0)
        })
        .collect();
    let mut sorted = speeds.clone();
    sorted.sort_by(f64::total_cmp);
    let v0 = sorted
        .get(sorted.len() / 2)
        .copied()
        .unwrap_or(1.0)
        .max(0.05);
    // Speed at each point: the mean of its segments.
    let at: Vec<f64> = (0..stroke.len())
        .map(|i| {
            let before = i.checked_sub(1).and_then(|j| speeds.get(j));
            let after = speeds.get(i);
            match (before, after) {
                (Some(a), Some(b)) => (a + b) / 2.0,
                (Some(a), None) | (None, Some(a)) => *a,
                (None, None) => v0,
            }
        })
        .collect();
    let raw: Vec<f64> = at.iter().map(|v| 1.0 / (1.0 + v / v0)).collect();
    (0..raw.len())
        .map(|i| {
            let lo = i.saturating_sub(1);
            let hi = (i + 1).min(raw.len() - 1);
            let mean = raw[lo..=hi].iter().sum::<f64>() / (hi - lo + 1) as f64;
            // 1/(1+1) = 0.5 at the median speed: scale so the median is a firm 0.7.
            (mean * 1.4).clamp(0.2, 1.0)
        })
        .collect()
}

/// The strokes for the forms engine: `[x, y, pressure]` per point, `x`/`y` from 0 to 1 across a
/// capture area of `width × height` pixels, pressure quantised to [`LEVELS`]. Points closer than
/// 0.2 % of the box to the previous one are left out (the stroke's ends are kept).
pub fn form_strokes(
    strokes: &[Vec<RawPoint>],
    width: f64,
    height: f64,
) -> Result<Vec<Vec<[f64; 3]>>, SignatureError> {
    if !(width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0) {
        return Err(SignatureError::BadArea);
    }
    let total: usize = strokes.iter().map(Vec::len).sum();
    if strokes.len() > MAX_STROKES || total > MAX_POINTS {
        return Err(SignatureError::TooLarge);
    }
    let mut out = Vec::new();
    for stroke in strokes.iter().filter(|s| s.len() >= 2) {
        if stroke
            .iter()
            .any(|p| !(p.x.is_finite() && p.y.is_finite() && p.t_ms.is_finite()))
        {
            return Err(SignatureError::BadPoint);
        }
        let pressure: Vec<f64> = if has_real_pressure(stroke) {
            stroke
                .iter()
                .map(|p| p.pressure.unwrap_or(0.5).clamp(0.0, 1.0))
                .collect()
        } else {
            virtual_pressure(stroke)
        };
        let mut points: Vec<[f64; 3]> = Vec::new();
        for (i, (p, pr)) in stroke.iter().zip(&pressure).enumerate() {
            let q = [
                (p.x / width).clamp(0.0, 1.0),
                (p.y / height).clamp(0.0, 1.0),
                ((pr * (LEVELS - 1.0)).round() / (LEVELS - 1.0)).clamp(0.0, 1.0),
            ];
            let last = i == stroke.len() - 1;
            let far = points.last().is_none_or(|prev| {
                ((q[0] - prev[0]).powi(2) + (q[1] - prev[1]).powi(2)).sqrt() >= 0.002
            });
            if far || last {
                points.push(q);
            }
        }
        if points.len() >= 2 {
            out.push(points);
        }
    }
    if out.is_empty() {
        return Err(SignatureError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize, dt: f64, pressure: impl Fn(usize) -> Option<f64>) -> Vec<RawPoint> {
        (0..n)
            .map(|i| RawPoint {
                x: 10.0 + i as f64 * 4.0,
                y: 50.0,
                t_ms: i as f64 * dt,
                pressure: pressure(i),
            })
            .collect()
    }

    #[test]
    fn a_pen_with_pressure_keeps_it_in_4096_levels() {
        let s = line(20, 8.0, |i| Some(0.1 + i as f64 * 0.04));
        let out = form_strokes(&[s], 200.0, 100.0).expect("strokes");
        let p: Vec<f64> = out[0].iter().map(|q| q[2]).collect();
        assert!((p[0] - 0.1).abs() < 1.0 / 4095.0 + 1e-9);
        assert!(
            p.windows(2).all(|w| w[1] > w[0]),
            "pressure rises as the pen pressed harder"
        );
        for v in &p {
            let level = v * 4095.0;
            assert!(
                (level - level.round()).abs() < 1e-6,
                "quantised to 4,096 levels"
            );
        }
        assert!((out[0][0][0] - 0.05).abs() < 1e-9 && (out[0][0][1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn without_pressure_a_slow_stroke_is_heavier_than_a_fast_one() {
        // A mouse or finger: Pointer Events report 0.5 throughout, or nothing.
        let mut s: Vec<RawPoint> = line(10, 40.0, |_| Some(0.5));
        s.extend((0..10).map(|i| RawPoint {
            x: 50.0 + i as f64 * 16.0,
            y: 50.0,
            t_ms: 400.0 + i as f64 * 4.0,
            pressure: Some(0.5),
        }));
        let out = form_strokes(&[s], 300.0, 100.0).expect("strokes");
        let p: Vec<f64> = out[0].iter().map(|q| q[2]).collect();
        let slow = p[2..6].iter().sum::<f64>() / 4.0;
        let fast = p[p.len() - 6..p.len() - 2].iter().sum::<f64>() / 4.0;
        assert!(slow > fast + 0.2, "slow {slow} vs fast {fast}");
        assert!(p.iter().all(|v| (0.2..=1.0).contains(v)));
        let none = line(10, 10.0, |_| None);
        assert!(form_strokes(&[none], 300.0, 100.0).is_ok());
    }

    #[test]
    fn bad_or_empty_signatures_are_refused_in_japanese() {
        assert_eq!(form_strokes(&[], 100.0, 100.0), Err(SignatureError::Empty));
        assert_eq!(
            form_strokes(&[line(1, 5.0, |_| None)], 100.0, 100.0),
            Err(SignatureError::Empty)
        );
        assert_eq!(
            form_strokes(&[line(5, 5.0, |_| None)], 0.0, 100.0),
            Err(SignatureError::BadArea)
        );
        let mut nan = line(5, 5.0, |_| None);
        nan[2].x = f64::NAN;
        assert_eq!(
            form_strokes(&[nan], 100.0, 100.0),
            Err(SignatureError::BadPoint)
        );
        let many: Vec<Vec<RawPoint>> = (0..201).map(|_| line(2, 5.0, |_| None)).collect();
        assert_eq!(
            form_strokes(&many, 100.0, 100.0),
            Err(SignatureError::TooLarge)
        );
        assert!(SignatureError::Empty.message_ja().contains("署名"));
    }

    #[test]
    fn dense_points_are_thinned_but_the_ends_kept() {
        let s: Vec<RawPoint> = (0..100)
            .map(|i| RawPoint {
                x: 100.0 + i as f64 * 0.01,
                y: 50.0,
                t_ms: i as f64,
                pressure: None,
            })
            .collect();
        let out = form_strokes(&[s], 1000.0, 100.0).expect("strokes");
        assert_eq!(
            out[0].len(),
            2,
            "first and last of a stroke that barely moved"
        );
    }
}
