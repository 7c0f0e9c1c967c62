%s{time}	%s{cip}	%s{eurl}
