/** Full-page navigation to another site (Stripe Checkout, the billing portal); one seam for tests to stub. */
export const externalPage = {
  open(url: string): void {
    window.location.assign(url);
  },
};
