//! A token bucket: each frame takes one token; tokens come back at a steady rate up to a burst.
//! Time is passed in, so the logic is tested without sleeping.

use std::time::{Duration, Instant};

/// One connection's frame budget.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    per_sec: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket refilled at `per_sec` tokens per second, holding at most `burst`.
    pub fn new(per_sec: u32, burst: u32, now: Instant) -> Self {
        let burst = f64::from(burst.max(1));
        Self {
            per_sec: f64::from(per_sec.max(1)),
            burst,
            tokens: burst,
            last: now,
        }
    }

    /// Takes a token, or says how long until one is back.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now.max(self.last);
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - self.tokens) / self.per_sec;
            Err(Duration::from_secs_f64(wait).max(Duration::from_millis(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_refuses_with_a_wait() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(20, 40, t0);
        for i in 0..40 {
            assert!(b.take(t0).is_ok(), "frame {i} of the burst");
        }
        let wait = b.take(t0).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_millis(50),
            "{wait:?}"
        );
    }

    #[test]
    fn refills_at_the_rate_and_caps_at_the_burst() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(20, 40, t0);
        for _ in 0..40 {
            b.take(t0).unwrap();
        }
        // 100 ms at 20/s brings back 2 tokens.
        let t1 = t0 + Duration::from_millis(100);
        assert!(b.take(t1).is_ok());
        assert!(b.take(t1).is_ok());
        assert!(b.take(t1).is_err());
        // A long pause refills only up to the burst.
        let t2 = t1 + Duration::from_secs(60);
        for _ in 0..40 {
            b.take(t2).unwrap();
        }
        assert!(b.take(t2).is_err());
    }

    #[test]
    fn sustained_rate_is_accepted() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(20, 40, t0);
        // 20 frames a second for ten seconds, after the burst is spent, all pass.
        for _ in 0..40 {
            b.take(t0).unwrap();
        }
        for i in 1..=200u64 {
            let t = t0 + Duration::from_millis(50 * i);
            assert!(b.take(t).is_ok(), "frame at {} ms", 50 * i);
        }
    }

    #[test]
    fn time_going_backwards_does_not_refill() {
        let t0 = Instant::now() + Duration::from_secs(1);
        let mut b = TokenBucket::new(1, 1, t0);
        b.take(t0).unwrap();
        assert!(b.take(t0 - Duration::from_millis(500)).is_err());
    }
}
