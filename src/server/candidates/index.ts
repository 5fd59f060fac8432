/** Candidates: the review console's list, detail and every operator action on the candidate record. */
export { listCandidates, countCandidatesByTab, neighbourCandidateIds, loadCandidates } from './list';
export {
  getCandidateOrThrow,
  listCandidateEvents,
  updateCandidate,
  transitionCandidate,
  transitionCandidates,
  attachCoupangLink,
  undoLastAction,
  type Actor,
  type BulkResult,
  type LinkResult,
} from './actions';
export { toCandidateDto, effectiveProductName, withDisclosure } from './dto';
export { checkTransition, allowedTransitions } from './transitions';
export { candidateFilterOptions, type FilterOptions } from './filter-options';
