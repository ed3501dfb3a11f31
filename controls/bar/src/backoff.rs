//! Reconnection delays: 1 s doubling to 30 s, with jitter (docs/messenger.md), so a hub restart
//! does not bring every client back in the same second. Pure, tested natively.

/// The first delay, in ms.
pub const FIRST_MS: f64 = 1_000.0;
/// The longest delay, in ms.
pub const MAX_MS: f64 = 30_000.0;

/// The delay before reconnection attempt `attempt` (0 for the first after a loss), given a
/// random `jitter` in `[0, 1)`: between half and all of `min(1 s × 2^attempt, 30 s)`.
pub fn delay_ms(attempt: u32, jitter: f64) -> f64 {
    let base = (FIRST_MS * 2f64.powi(attempt.min(16) as i32)).min(MAX_MS);
    let j = jitter.clamp(0.0, 1.0);
    base / 2.0 + base / 2.0 * j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_one_second_to_thirty_with_jitter() {
        let top: Vec<f64> = (0..8).map(|a| delay_ms(a, 1.0)).collect();
        assert_eq!(
            top,
            [
                1_000.0, 2_000.0, 4_000.0, 8_000.0, 16_000.0, 30_000.0, 30_000.0, 30_000.0
            ]
        );
        assert_eq!(delay_ms(0, 0.0), 500.0);
        assert_eq!(delay_ms(3, 0.5), 6_000.0);
        assert_eq!(delay_ms(u32::MAX, 0.0), 15_000.0);
        assert_eq!(delay_ms(2, 7.0), 4_000.0);
    }
}
