(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 5
(002) ldb      [15]
(003) rsh      #1
(004) jeq      #0x2             jt 10	jf 5
(005) ldb      [14]
(006) tax      
(007) ld       #0x0
(008) sub      x
(009) jeq      #0x4             jt 10	jf 11
(010) ret      #262144
(011) ret      #0
