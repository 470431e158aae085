import { TIMEOUT } from './time';

// Every test's and hook's default timeout, on this run's scale (PATHWAY_TEST_TIME_FACTOR).
jest.setTimeout(TIMEOUT.test);
