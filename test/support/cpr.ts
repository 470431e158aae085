/**
 * A CPR number ending in 1234 (the tests' numbers do), in full in any of its forms (030487-1234,
 * 0304871234, 03.04.87-1234, masked as ******-1234), or its last four digits as a value of their own;
 * not four digits inside an id, where a random UUID or case reference holds "1234" now and then.
 */
export const CPR_ENDING_1234 = /[\d*xX.]{6,8}-?1234|(?<![-0-9a-zA-Z])1234(?![-0-9a-zA-Z])/;
