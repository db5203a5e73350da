(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 7
(002) ldb      [14]
(003) mul      #3
(004) div      #2
(005) jeq      #0x3             jt 6	jf 7
(006) ret      #262144
(007) ret      #0
