//! Reading rows by column position. sea-orm's derived reader looks every column up by name, a
//! hash per column per row, which showed on the hot lists (docs/benchmarks.md). A row declared
//! with `positional_row!` names each field together with the expression it is selected from,
//! in one list, so the columns a query selects and the positions the reader reads cannot drift
//! apart.

/// Declares a row struct read by position, with
/// - `Row::COLUMNS`: the names its columns are selected as, in order;
/// - `Row::select(query)`: adds exactly those columns, in that order, to a query;
/// - `Row::read_at(res, at)`: reads it from the columns starting at `at` (for a row embedded
///   after other columns); `Row::read_joined_at` gives `None` where a left join found nothing;
/// - `FromQueryResult`, reading from column 0.
///
/// `struct Row over S { .. }` makes `select` generic over an entity `S` that the field
/// expressions may name (one row type read from a table and from a view of it).
macro_rules! positional_row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident $(over $src:ident)? {
            $(#[$first_meta:meta])* $first_vis:vis $first:ident : $first_ty:ty = $first_expr:expr
            $(, $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty = $expr:expr)* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(#[$first_meta])* $first_vis $first: $first_ty,
            $($(#[$fmeta])* $fvis $field: $ty,)*
        }

        #[allow(dead_code)]
        impl $name {
            /// The names the columns are selected as, in select order.
            pub const COLUMNS: &'static [&'static str] = &[stringify!($first) $(, stringify!($field))*];

            /// Adds exactly this row's columns, in order, to `query`.
            pub fn select<$($src: sea_orm::EntityTrait,)? Q: sea_orm::QuerySelect>(query: Q) -> Q {
                query.column_as($first_expr, stringify!($first)) $(.column_as($expr, stringify!($field)))*
            }

            /// Reads the row from the columns starting at position `at`.
            pub fn read_at(res: &sea_orm::QueryResult, at: usize) -> Result<Self, sea_orm::TryGetError> {
                let $first = res.try_get_by_index_nullable(at)?;
                Self::read_rest(res, at, $first)
            }

            /// As `read_at`, for the right side of a left join: `None` when it matched nothing
            /// (the first column is NULL).
            pub fn read_joined_at(res: &sea_orm::QueryResult, at: usize) -> Result<Option<Self>, sea_orm::TryGetError> {
                match res.try_get_by_index_nullable::<Option<$first_ty>>(at)? {
                    None => Ok(None),
                    Some($first) => Self::read_rest(res, at, $first).map(Some),
                }
            }

            /// The columns after the first, which is already read.
            #[allow(unused_assignments, unused_mut)]
            fn read_rest(res: &sea_orm::QueryResult, at: usize, $first: $first_ty) -> Result<Self, sea_orm::TryGetError> {
                let mut i = at;
                $(i += 1; let $field = res.try_get_by_index_nullable(i)?;)*
                Ok(Self { $first $(, $field)* })
            }
        }

        impl sea_orm::FromQueryResult for $name {
            fn from_query_result(res: &sea_orm::QueryResult, pre: &str) -> Result<Self, sea_orm::DbErr> {
                Ok(Self::from_query_result_nullable(res, pre)?)
            }

            fn from_query_result_nullable(res: &sea_orm::QueryResult, _: &str) -> Result<Self, sea_orm::TryGetError> {
                Self::read_at(res, 0)
            }
        }
    };
}

pub(crate) use positional_row;
