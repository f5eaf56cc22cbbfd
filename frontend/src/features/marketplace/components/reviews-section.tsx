import { useState } from 'react';

import type { ListingDetail, Review } from '@/features/marketplace/api/get-listing';
import { useMyReviews, useSaveReview } from '@/features/marketplace/api/reviews';
import { Field } from '@/features/marketplace/components/field';
import { formatDate, stars } from '@/features/marketplace/components/format';
import { ErrorMessage } from '@/shared/components/error-message';

function ReviewForm({ slug, mine }: { slug: string; mine: Review | undefined }) {
  const save = useSaveReview();
  const [rating, setRating] = useState(mine?.stars ?? 5);
  const [text, setText] = useState(mine?.text ?? '');
  return (
    <form className="flex flex-col gap-2" aria-label="Your review"
      onSubmit={(e) => { e.preventDefault(); save.mutate({ listing: slug, stars: rating, text: text.trim() }); }}>
      <div className="w-40">
        <Field label="Rating">
          <select className="input text-sm" value={rating} onChange={(e) => setRating(Number(e.target.value))}>
            {[5, 4, 3, 2, 1].map((n) => <option key={n} value={n}>{stars(n)} ({n})</option>)}
          </select>
        </Field>
      </div>
      <Field label="Review">
        <textarea className="input text-sm" rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <div className="flex items-center gap-2">
        <button type="submit" className="btn" disabled={save.isPending}>{mine ? 'Update review' : 'Post review'}</button>
        {save.isSuccess && <span role="status" className="text-sm text-up">Saved.</span>}
      </div>
      <ErrorMessage error={save.error} />
    </form>
  );
}

/** The latest reviews, and the tenant's own one to write or edit (subscribers only, as the API allows). */
export function ReviewsSection({ listing, canReview }: { listing: ListingDetail; canReview: boolean }) {
  const myReviews = useMyReviews({ enabled: canReview });
  const mine = myReviews.data?.find((r) => r.listing === listing.slug);

  return (
    <section className="card flex flex-col gap-3" aria-label="Reviews">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-semibold">Reviews</h3>
        <span className="text-sm text-muted">
          {listing.rating_count ? `${stars(listing.rating_avg ?? 0)} ${(listing.rating_avg ?? 0).toFixed(1)} from ${listing.rating_count}` : 'No reviews yet'}
        </span>
      </div>
      {canReview ? (
        !myReviews.isPending && <ReviewForm key={mine?.id ?? 'new'} slug={listing.slug} mine={mine} />
      ) : (
        <p className="text-sm text-muted">Subscribers can rate and review this listing.</p>
      )}
      {listing.reviews.length > 0 && (
        <ul className="flex flex-col gap-2" aria-label="Latest reviews">
          {listing.reviews.map((review) => (
            <li key={review.id} className="border-t border-border pt-2 text-sm">
              <div className="flex items-baseline gap-2">
                <span aria-label={`${review.stars} of 5 stars`}>{stars(review.stars)}</span>
                <span className="text-xs text-muted">{formatDate(review.updated_at)}</span>
                {review.id === mine?.id && <span className="text-xs text-muted">(your review)</span>}
              </div>
              {review.text && <p className="whitespace-pre-line">{review.text}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
