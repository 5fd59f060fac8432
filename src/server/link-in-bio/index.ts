/**
 * The link-in-bio page (issue 16): the public list of published products at /l, their short links /l/p/<slug> that
 * redirect to the Coupang deep link and count the click, and the crops shown as thumbnails. Nothing here needs a
 * session: every read is limited to published candidates and to fields a viewer may see.
 */
export { assignPublicLink } from './assign';
export { listPublicProducts, PUBLIC_PAGE_SIZE, type PublicPage, type PublicProduct } from './list';
export { followShortLink, publicThumbnail } from './follow';
export { publicPaths, shortLinkUrl } from './urls';
export { makeSlug, SLUG_PATTERN } from './slug';
