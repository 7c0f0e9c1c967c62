%s{time}\t%s{cip}\t%s{eurl}
