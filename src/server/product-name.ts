/**
 * The product name the operator sees and everything downstream uses (copy, Reel draft, public page): their
 * correction when present, else the model's. Kept below every context that shows a candidate, so none of them has to
 * import candidates/ for it.
 */
export const effectiveProductName = (c: { productNameAi: string; productNameManual: string | null }) =>
  c.productNameManual?.trim() ? c.productNameManual : c.productNameAi;
