//! Paginated operations: every item across every page, as a stream or a collection.
//!
//! An operation declares its pagination in the spec (`"pagination"`); the generated request
//! then implements [`Paginate`], and [`Call::paginate`](crate::client::Call::paginate)
//! walks the pages: it sets the page number (1, 2, …), sends each page through the normal
//! call (validation, retries), and stops at the first empty or short page, or once the total
//! count the service reports has been reached.

use std::collections::VecDeque;

pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};

use crate::client::{Call, Error};
use crate::operation::Operation;

/// A request whose answers come in pages.
pub trait Paginate: Operation + Clone {
    /// One item of a page.
    type Item;
    /// The page number the request asks for, if set.
    fn page_number(&self) -> Option<i64>;
    /// Asks for page `page` (1-based).
    fn set_page_number(&mut self, page: i64);
    /// The page size the request asks for, if set.
    fn page_size(&self) -> Option<i64>;
    /// Takes the items out of one page.
    fn take_items(output: &mut Self::Output) -> Vec<Self::Item>;
    /// The total number of items the service reports, if it does.
    fn total_count(output: &Self::Output) -> Option<i64>;
}

/// Every item of every page, as a boxed stream (so `.next().await` works without pinning).
pub type Items<T> = std::pin::Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// The most pages one walk fetches: a guard against a service that ignores the page number.
pub const MAX_PAGES: i64 = 10_000;

struct Walk<O: Paginate> {
    call: Call,
    request: O,
    page: i64,
    seen: i64,
    buffer: VecDeque<O::Item>,
    done: bool,
}

impl Call {
    /// Every item of every page, fetched lazily page by page. The walk starts at the
    /// request's page number (1 if unset). The first error ends the stream after yielding it.
    pub fn paginate<O: Paginate + Send + Sync + 'static>(self, request: O) -> Items<O::Item>
    where
        O::Item: Send,
        O::Output: Send,
    {
        let page = request.page_number().unwrap_or(1).max(1);
        let walk = Walk {
            call: self,
            request,
            page,
            seen: 0,
            buffer: VecDeque::new(),
            done: false,
        };
        Box::pin(futures_util::stream::unfold(walk, |mut walk| async move {
            loop {
                if let Some(item) = walk.buffer.pop_front() {
                    return Some((Ok(item), walk));
                }
                if walk.done {
                    return None;
                }
                if walk.page > MAX_PAGES {
                    walk.done = true;
                    continue;
                }
                walk.request.set_page_number(walk.page);
                match walk.call.send(&walk.request).await {
                    Ok(response) => {
                        let mut output = response.data;
                        let items = O::take_items(&mut output);
                        let total = O::total_count(&output);
                        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
                        walk.seen = walk.seen.saturating_add(count);
                        let short = walk.request.page_size().is_some_and(|size| count < size);
                        let complete = total.is_some_and(|total| walk.seen >= total);
                        walk.done = count == 0 || short || complete;
                        walk.page += 1;
                        walk.buffer.extend(items);
                    }
                    Err(error) => {
                        walk.done = true;
                        return Some((Err(error), walk));
                    }
                }
            }
        }))
    }

    /// Every item of every page, collected.
    pub async fn paginate_all<O: Paginate + Send + Sync + 'static>(
        self,
        request: O,
    ) -> Result<Vec<O::Item>, Error>
    where
        O::Item: Send,
        O::Output: Send,
    {
        self.paginate(request).try_collect().await
    }
}
