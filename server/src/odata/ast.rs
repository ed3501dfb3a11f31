//! The `$filter` syntax tree and its canonical printing.

use std::fmt;

use super::value::Value;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `eq`: equal (null-safe: `x eq null` is true exactly when `x` is null).
    Eq,
    /// `ne`: not equal (null-safe).
    Ne,
    /// `gt`: greater than (false when either side is null).
    Gt,
    /// `ge`: greater than or equal.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal.
    Le,
}

impl CompareOp {
    /// All operators, for generators and tables.
    pub const ALL: [CompareOp; 6] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The OData keyword: `eq`, `ne`, …
    pub fn keyword(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    /// The operator for a keyword.
    pub fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.keyword() == word)
    }

    /// Whether this is an ordering (not an equality) operator.
    pub fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

/// A string function usable as a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFn {
    /// `contains(field,'x')`.
    Contains,
    /// `startswith(field,'x')`.
    StartsWith,
    /// `endswith(field,'x')`.
    EndsWith,
}

impl StringFn {
    /// All functions.
    pub const ALL: [StringFn; 3] = [StringFn::Contains, StringFn::StartsWith, StringFn::EndsWith];

    /// The OData function name.
    pub fn name(self) -> &'static str {
        match self {
            StringFn::Contains => "contains",
            StringFn::StartsWith => "startswith",
            StringFn::EndsWith => "endswith",
        }
    }

    /// The function for a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A parsed, type-checked `$filter`.
///
/// `Display` prints canonical OData text (single spaces, the fewest parentheses that keep the
/// tree) which parses back to an equal tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `field op literal`.
    Compare {
        /// The field path, e.g. `emails/preferred`.
        field: String,
        /// The operator.
        op: CompareOp,
        /// The literal.
        value: Value,
    },
    /// `contains(field,'text')` and friends.
    Call {
        /// Which function.
        func: StringFn,
        /// The (string) field path.
        field: String,
        /// The text searched for.
        arg: String,
    },
    /// `not e`.
    Not(Box<Expr>),
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Binding strength: `or` 1 < `and` 2 < `not` 3 < conditions 4.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Or(..) => 1,
            Expr::And(..) => 2,
            Expr::Not(_) => 3,
            Expr::Compare { .. } | Expr::Call { .. } => 4,
        }
    }

    /// Writes `child`, parenthesised when it binds looser than `min`.
    fn write_operand(f: &mut fmt::Formatter<'_>, child: &Expr, min: u8) -> fmt::Result {
        if child.precedence() < min {
            write!(f, "({child})")
        } else {
            write!(f, "{child}")
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Compare { field, op, value } => write!(f, "{field} {} {value}", op.keyword()),
            Expr::Call { func, field, arg } => {
                write!(f, "{}({field},{})", func.name(), Value::String(arg.clone()))
            }
            Expr::Not(inner) => {
                f.write_str("not ")?;
                Self::write_operand(f, inner, 3)
            }
            // Left-associative: the left operand may be the same operator unparenthesised,
            // the right one must bind tighter.
            Expr::And(a, b) => {
                Self::write_operand(f, a, 2)?;
                f.write_str(" and ")?;
                Self::write_operand(f, b, 3)
            }
            Expr::Or(a, b) => {
                Self::write_operand(f, a, 1)?;
                f.write_str(" or ")?;
                Self::write_operand(f, b, 2)
            }
        }
    }
}
