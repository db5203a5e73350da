(000) ldb      [0]
(001) jset     #0x1             jt 7	jf 2
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 7
(004) ldb      [30]
(005) jge      #0xe0            jt 6	jf 7
(006) ret      #262144
(007) ret      #0
